"""``UserMemory`` <-> ``agentos.v1.UserMemory``.

Everything round-trips except the difference between "no topics" and an empty topic list
(both come back as None) and empty strings, which come back as None like every unset field.
"""

from __future__ import annotations

from agentos.memory import UserMemory
from agentos.v1 import memories_pb2
from agentos.wire._values import set_timestamp


def fill_user_memory(target: memories_pb2.UserMemory, memory: UserMemory) -> None:
    if memory.memory_id:
        target.memory_id = memory.memory_id
    target.memory = memory.memory
    if memory.topics:
        target.topics.extend(memory.topics)
    if memory.input:
        target.input = memory.input
    if memory.user_id:
        target.user_id = memory.user_id
    if memory.agent_id:
        target.agent_id = memory.agent_id
    if memory.team_id:
        target.team_id = memory.team_id
    if memory.created_at is not None:
        set_timestamp(target.created_at, memory.created_at)
    if memory.updated_at is not None:
        set_timestamp(target.updated_at, memory.updated_at)


def user_memory_to_proto(memory: UserMemory) -> memories_pb2.UserMemory:
    out = memories_pb2.UserMemory()
    fill_user_memory(out, memory)
    return out


def user_memory_from_proto(pb: memories_pb2.UserMemory) -> UserMemory:
    return UserMemory(
        memory=pb.memory,
        memory_id=pb.memory_id or None,
        topics=list(pb.topics) or None,
        input=pb.input or None,
        user_id=pb.user_id or None,
        agent_id=pb.agent_id or None,
        team_id=pb.team_id or None,
        created_at=int(pb.created_at.seconds) if pb.HasField("created_at") else None,
        updated_at=int(pb.updated_at.seconds) if pb.HasField("updated_at") else None,
    )
