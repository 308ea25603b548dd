import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ContentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTENT_STATUS_UNSPECIFIED: _ClassVar[ContentStatus]
    CONTENT_STATUS_PROCESSING: _ClassVar[ContentStatus]
    CONTENT_STATUS_COMPLETED: _ClassVar[ContentStatus]
    CONTENT_STATUS_FAILED: _ClassVar[ContentStatus]

class SearchType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEARCH_TYPE_UNSPECIFIED: _ClassVar[SearchType]
    SEARCH_TYPE_VECTOR: _ClassVar[SearchType]
    SEARCH_TYPE_KEYWORD: _ClassVar[SearchType]
    SEARCH_TYPE_HYBRID: _ClassVar[SearchType]
CONTENT_STATUS_UNSPECIFIED: ContentStatus
CONTENT_STATUS_PROCESSING: ContentStatus
CONTENT_STATUS_COMPLETED: ContentStatus
CONTENT_STATUS_FAILED: ContentStatus
SEARCH_TYPE_UNSPECIFIED: SearchType
SEARCH_TYPE_VECTOR: SearchType
SEARCH_TYPE_KEYWORD: SearchType
SEARCH_TYPE_HYBRID: SearchType

class ChunkerConfig(_message.Message):
    __slots__ = ("chunker", "chunk_size", "chunk_overlap", "params")
    CHUNKER_FIELD_NUMBER: _ClassVar[int]
    CHUNK_SIZE_FIELD_NUMBER: _ClassVar[int]
    CHUNK_OVERLAP_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    chunker: str
    chunk_size: int
    chunk_overlap: int
    params: _struct_pb2.Struct
    def __init__(self, chunker: _Optional[str] = ..., chunk_size: _Optional[int] = ..., chunk_overlap: _Optional[int] = ..., params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class Content(_message.Message):
    __slots__ = ("content_id", "name", "description", "url", "filename", "mime_type", "size_bytes", "metadata", "status", "status_message", "reader_id", "chunker", "knowledge_id", "created_at", "updated_at")
    CONTENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    READER_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNKER_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    content_id: str
    name: str
    description: str
    url: str
    filename: str
    mime_type: str
    size_bytes: int
    metadata: _struct_pb2.Struct
    status: ContentStatus
    status_message: str
    reader_id: str
    chunker: ChunkerConfig
    knowledge_id: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, content_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., url: _Optional[str] = ..., filename: _Optional[str] = ..., mime_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., status: _Optional[_Union[ContentStatus, str]] = ..., status_message: _Optional[str] = ..., reader_id: _Optional[str] = ..., chunker: _Optional[_Union[ChunkerConfig, _Mapping]] = ..., knowledge_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateContentRequest(_message.Message):
    __slots__ = ("knowledge_id", "name", "description", "text_content", "url", "file_content", "filename", "mime_type", "metadata", "reader_id", "chunker", "request_id")
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TEXT_CONTENT_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    FILE_CONTENT_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    READER_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNKER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    knowledge_id: str
    name: str
    description: str
    text_content: str
    url: str
    file_content: bytes
    filename: str
    mime_type: str
    metadata: _struct_pb2.Struct
    reader_id: str
    chunker: ChunkerConfig
    request_id: str
    def __init__(self, knowledge_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., text_content: _Optional[str] = ..., url: _Optional[str] = ..., file_content: _Optional[bytes] = ..., filename: _Optional[str] = ..., mime_type: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., reader_id: _Optional[str] = ..., chunker: _Optional[_Union[ChunkerConfig, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateContentResponse(_message.Message):
    __slots__ = ("content",)
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    content: Content
    def __init__(self, content: _Optional[_Union[Content, _Mapping]] = ...) -> None: ...

class UploadContentHeader(_message.Message):
    __slots__ = ("knowledge_id", "name", "description", "filename", "mime_type", "size_bytes", "sha256", "metadata", "reader_id", "chunker", "request_id")
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    READER_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNKER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    knowledge_id: str
    name: str
    description: str
    filename: str
    mime_type: str
    size_bytes: int
    sha256: str
    metadata: _struct_pb2.Struct
    reader_id: str
    chunker: ChunkerConfig
    request_id: str
    def __init__(self, knowledge_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., filename: _Optional[str] = ..., mime_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., reader_id: _Optional[str] = ..., chunker: _Optional[_Union[ChunkerConfig, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class UploadContentRequest(_message.Message):
    __slots__ = ("header", "chunk")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    header: UploadContentHeader
    chunk: bytes
    def __init__(self, header: _Optional[_Union[UploadContentHeader, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class UploadContentResponse(_message.Message):
    __slots__ = ("content",)
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    content: Content
    def __init__(self, content: _Optional[_Union[Content, _Mapping]] = ...) -> None: ...

class GetContentRequest(_message.Message):
    __slots__ = ("content_id",)
    CONTENT_ID_FIELD_NUMBER: _ClassVar[int]
    content_id: str
    def __init__(self, content_id: _Optional[str] = ...) -> None: ...

class GetContentResponse(_message.Message):
    __slots__ = ("content",)
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    content: Content
    def __init__(self, content: _Optional[_Union[Content, _Mapping]] = ...) -> None: ...

class ListContentsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "order_by", "knowledge_id", "status")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    order_by: str
    knowledge_id: str
    status: ContentStatus
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., order_by: _Optional[str] = ..., knowledge_id: _Optional[str] = ..., status: _Optional[_Union[ContentStatus, str]] = ...) -> None: ...

class ListContentsResponse(_message.Message):
    __slots__ = ("contents", "next_page_token", "total_size")
    CONTENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    contents: _containers.RepeatedCompositeFieldContainer[Content]
    next_page_token: str
    total_size: int
    def __init__(self, contents: _Optional[_Iterable[_Union[Content, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class UpdateContentRequest(_message.Message):
    __slots__ = ("content", "update_mask")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    content: Content
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, content: _Optional[_Union[Content, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateContentResponse(_message.Message):
    __slots__ = ("content",)
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    content: Content
    def __init__(self, content: _Optional[_Union[Content, _Mapping]] = ...) -> None: ...

class DeleteContentRequest(_message.Message):
    __slots__ = ("content_id", "allow_missing")
    CONTENT_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOW_MISSING_FIELD_NUMBER: _ClassVar[int]
    content_id: str
    allow_missing: bool
    def __init__(self, content_id: _Optional[str] = ..., allow_missing: _Optional[bool] = ...) -> None: ...

class DeleteContentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SearchKnowledgeRequest(_message.Message):
    __slots__ = ("query", "knowledge_id", "search_type", "max_results", "filters")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    SEARCH_TYPE_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    query: str
    knowledge_id: str
    search_type: SearchType
    max_results: int
    filters: _struct_pb2.Struct
    def __init__(self, query: _Optional[str] = ..., knowledge_id: _Optional[str] = ..., search_type: _Optional[_Union[SearchType, str]] = ..., max_results: _Optional[int] = ..., filters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class SearchResult(_message.Message):
    __slots__ = ("content", "score", "metadata", "name", "content_id", "chunk_id")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    content: str
    score: float
    metadata: _struct_pb2.Struct
    name: str
    content_id: str
    chunk_id: str
    def __init__(self, content: _Optional[str] = ..., score: _Optional[float] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., name: _Optional[str] = ..., content_id: _Optional[str] = ..., chunk_id: _Optional[str] = ...) -> None: ...

class SearchKnowledgeResponse(_message.Message):
    __slots__ = ("results", "search_type", "search_time")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    SEARCH_TYPE_FIELD_NUMBER: _ClassVar[int]
    SEARCH_TIME_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[SearchResult]
    search_type: SearchType
    search_time: _duration_pb2.Duration
    def __init__(self, results: _Optional[_Iterable[_Union[SearchResult, _Mapping]]] = ..., search_type: _Optional[_Union[SearchType, str]] = ..., search_time: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class GetKnowledgeConfigRequest(_message.Message):
    __slots__ = ("knowledge_id",)
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    knowledge_id: str
    def __init__(self, knowledge_id: _Optional[str] = ...) -> None: ...

class ReaderInfo(_message.Message):
    __slots__ = ("reader_id", "name", "description", "chunkers", "mime_types")
    READER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHUNKERS_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPES_FIELD_NUMBER: _ClassVar[int]
    reader_id: str
    name: str
    description: str
    chunkers: _containers.RepeatedScalarFieldContainer[str]
    mime_types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, reader_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., chunkers: _Optional[_Iterable[str]] = ..., mime_types: _Optional[_Iterable[str]] = ...) -> None: ...

class ChunkerInfo(_message.Message):
    __slots__ = ("key", "name", "description", "default_params")
    KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_PARAMS_FIELD_NUMBER: _ClassVar[int]
    key: str
    name: str
    description: str
    default_params: _struct_pb2.Struct
    def __init__(self, key: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., default_params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class VectorDbInfo(_message.Message):
    __slots__ = ("vector_db_id", "name", "description", "search_types", "embedder")
    VECTOR_DB_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SEARCH_TYPES_FIELD_NUMBER: _ClassVar[int]
    EMBEDDER_FIELD_NUMBER: _ClassVar[int]
    vector_db_id: str
    name: str
    description: str
    search_types: _containers.RepeatedScalarFieldContainer[SearchType]
    embedder: str
    def __init__(self, vector_db_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., search_types: _Optional[_Iterable[_Union[SearchType, str]]] = ..., embedder: _Optional[str] = ...) -> None: ...

class GetKnowledgeConfigResponse(_message.Message):
    __slots__ = ("knowledge_id", "name", "description", "readers", "chunkers", "vector_db", "filters", "max_results")
    KNOWLEDGE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    READERS_FIELD_NUMBER: _ClassVar[int]
    CHUNKERS_FIELD_NUMBER: _ClassVar[int]
    VECTOR_DB_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    MAX_RESULTS_FIELD_NUMBER: _ClassVar[int]
    knowledge_id: str
    name: str
    description: str
    readers: _containers.RepeatedCompositeFieldContainer[ReaderInfo]
    chunkers: _containers.RepeatedCompositeFieldContainer[ChunkerInfo]
    vector_db: VectorDbInfo
    filters: _containers.RepeatedScalarFieldContainer[str]
    max_results: int
    def __init__(self, knowledge_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., readers: _Optional[_Iterable[_Union[ReaderInfo, _Mapping]]] = ..., chunkers: _Optional[_Iterable[_Union[ChunkerInfo, _Mapping]]] = ..., vector_db: _Optional[_Union[VectorDbInfo, _Mapping]] = ..., filters: _Optional[_Iterable[str]] = ..., max_results: _Optional[int] = ...) -> None: ...
