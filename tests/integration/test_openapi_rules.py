"""The OpenAPI generator on a purpose-written contract, for the google.api.http rules and JSON
mappings that AgentOS's own protos do not (yet) use: custom HTTP methods, ``response_body``,
variables with patterns, nested path fields, wrappers, Any/Empty, maps with integer keys,
recursion, and conflicting bindings. The .proto is compiled with protoc, as ``make generate``
does, so the generator reads a real descriptor set with source info."""

from __future__ import annotations

import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from agentos.os._openapi import ProtoIndex, build_openapi, clean_comment
from grpc_tools import protoc
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]

LIBRARY = """
syntax = "proto3";
package demo.v1;
import "google/api/annotations.proto";
import "google/protobuf/any.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/field_mask.proto";

// Books on shelves.
// buf:lint:ignore SERVICE_SUFFIX
service Library {
  // Gets a book.
  //
  // Second paragraph.
  rpc GetBook(GetBookRequest) returns (Book) {
    option (google.api.http) = {get: "/v1/{name=shelves/*/books/*}"};
  }
  // Moves a book (a custom HTTP method).
  rpc MoveBook(MoveBookRequest) returns (Book) {
    option (google.api.http) = {
      custom: {kind: "MOVE", path: "/v1/books/{book.id}"}
      body: "*"
    };
  }
  // Returns only the title (response_body).
  rpc GetTitle(GetBookRequest) returns (Book) {
    option (google.api.http) = {get: "/v1/titles/{name}" response_body: "title"};
  }
  // Deletes books; answers with nothing.
  rpc DeleteBooks(DeleteBooksRequest) returns (google.protobuf.Empty) {
    option (google.api.http) = {post: "/v1/books:batchDelete" body: "ids"};
  }
  // Searches books.
  rpc Search(SearchRequest) returns (stream Book) {
    option (google.api.http) = {get: "/v1/books:search"};
  }
}

// A book.
message Book {
  // Resource name.
  string id = 1;
  // Title.
  string title = 2;
  // Page count, when known.
  google.protobuf.Int64Value pages = 3;
  // Ratings by reader number.
  map<int32, double> ratings = 4;
  // Anything else.
  google.protobuf.Any extra = 5;
  // The sequel.
  Book sequel = 6;
  // Kind of book.
  Kind kind = 7;
  // Labels.
  map<string, string> labels = 8;
}

// Kinds of books.
enum Kind {
  // Unknown.
  KIND_UNSPECIFIED = 0;
  // Fiction.
  KIND_FICTION = 1;
}

message GetBookRequest {
  string name = 1;
  // Include the sequel chain.
  bool expand = 2;
}

message MoveBookRequest {
  Book book = 1;
  string destination = 2;
}

message DeleteBooksRequest {
  // Ids to delete.
  repeated string ids = 1;
  google.protobuf.FieldMask mask = 2;
}

message SearchRequest {
  Filter filter = 1;
  repeated Kind kinds = 2;
  google.protobuf.BoolValue available = 3;
  map<string, string> extra = 4;
  repeated Filter more = 5;
}

message Filter {
  string author = 1;
  Range year = 2;
  Filter nested = 3;
}

message Range {
  int32 from = 1;
  int32 to = 2;
  Deep deep = 3;
}

message Deep {
  string too_deep = 1;
}
"""

CONFLICT = """
syntax = "proto3";
package clash.v1;
import "google/api/annotations.proto";
service Clash {
  rpc A(Req) returns (Req) { option (google.api.http) = {get: "/v1/same"}; }
  rpc B(Req) returns (Req) { option (google.api.http) = {get: "/v1/same"}; }
}
message Req {}
"""


def compile_proto(tmp_path: Path, source: str, name: str = "demo.proto") -> Path:
    (tmp_path / name).write_text(textwrap.dedent(source))
    out = tmp_path / "set.binpb"
    code = protoc.main(
        [
            "protoc",
            f"-I{tmp_path}",
            f"-I{ROOT / 'third_party' / 'googleapis'}",
            f"-I{resources.files('grpc_tools') / '_proto'}",
            "--include_imports",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            name,
        ]
    )
    assert code == 0
    return out


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    document = build_openapi(descriptor_set=compile_proto(tmp_path_factory.mktemp("proto"), LIBRARY))
    validate(document)
    return document


def test_variable_with_a_pattern_is_one_parameter(doc: dict[str, Any]) -> None:
    op = doc["paths"]["/v1/{name}"]["get"]
    (name,) = [p for p in op["parameters"] if p["in"] == "path"]
    assert name["name"] == "name"
    assert "`shelves/*/books/*`" in name["description"]
    assert [p["name"] for p in op["parameters"] if p["in"] == "query"] == ["expand"]
    assert op["summary"] == "Gets a book."
    assert op["description"] == "Gets a book.\n\nSecond paragraph."


def test_custom_http_method_is_kept_as_an_extension(doc: dict[str, Any]) -> None:
    item = doc["paths"]["/v1/books/{id}"]
    assert "move" not in item, "MOVE is not an OpenAPI method"
    op = item["x-custom-methods"]["MOVE"]
    assert op["x-grpc-method"] == "/demo.v1.Library/MoveBook"
    assert [(p["name"], p["x-field-path"]) for p in op["parameters"]] == [("id", "book.id")]
    body = op["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"book", "destination"}


def test_response_body_names_the_returned_field(doc: dict[str, Any]) -> None:
    ok = doc["paths"]["/v1/titles/{name}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"type": "string"}
    assert ok["description"] == "Title."


def test_body_field_is_the_whole_body_and_the_rest_is_query(doc: dict[str, Any]) -> None:
    op = doc["paths"]["/v1/books:batchDelete"]["post"]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"type": "array", "items": {"type": "string"}}
    assert [p["name"] for p in op["parameters"]] == ["mask"]
    empty = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert empty == {"type": "object", "additionalProperties": False}


def test_query_parameters_flatten_nested_messages(doc: dict[str, Any]) -> None:
    op = doc["paths"]["/v1/books:search"]["get"]
    names = [p["name"] for p in op["parameters"]]
    # Dotted names for nested fields; recursion and depth are bounded; maps, repeated messages
    # and JSON-only well-known types cannot be written in a query string.
    assert names == ["filter.author", "filter.year.from", "filter.year.to", "kinds", "available"]
    kinds = op["parameters"][3]
    assert kinds["explode"] is True and kinds["schema"]["items"] == {
        "$ref": "#/components/schemas/demo.v1.Kind"
    }
    assert op["parameters"][4]["schema"] == {"type": "boolean"}
    event = op["responses"]["200"]["content"]["text/event-stream"]["schema"]
    assert event["properties"]["data"]["contentSchema"] == {"$ref": "#/components/schemas/demo.v1.Book"}


def test_json_mapping_of_wrappers_maps_any_and_recursion(doc: dict[str, Any]) -> None:
    book = doc["components"]["schemas"]["demo.v1.Book"]
    props = book["properties"]
    assert props["pages"]["type"] == "string" and props["pages"]["format"] == "int64"
    assert props["ratings"]["propertyNames"] == {"pattern": "^-?[0-9]+$"}
    assert props["ratings"]["additionalProperties"]["type"] == "number"
    assert props["labels"]["additionalProperties"] == {"type": "string"}
    assert "propertyNames" not in props["labels"]
    assert props["extra"]["required"] == ["@type"]
    assert props["sequel"]["$ref"] == "#/components/schemas/demo.v1.Book"
    assert props["kind"]["$ref"] == "#/components/schemas/demo.v1.Kind"
    assert book["description"] == "A book."
    tag = doc["tags"][0]
    assert tag == {"name": "Library", "description": "Books on shelves."}


def test_a_path_bound_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"GET /v1/same is bound twice"):
        build_openapi(descriptor_set=compile_proto(tmp_path, CONFLICT, "clash.proto"))


def test_index_lists_services_and_comments(tmp_path: Path) -> None:
    index = ProtoIndex.from_file(compile_proto(tmp_path, LIBRARY))
    (service,) = [s for s in index.services if s.full_name == "demo.v1.Library"]
    assert [m.name for m in service.methods] == ["GetBook", "MoveBook", "GetTitle", "DeleteBooks", "Search"]
    assert index.message("demo.v1.Book").field_comments["pages"] == "Page count, when known."
    assert index.enum(".demo.v1.Kind").value_comments["KIND_FICTION"] == "Fiction."
    with pytest.raises(KeyError, match="not in the descriptor set"):
        index.message("demo.v1.Nope")


def test_clean_comment() -> None:
    raw = " First line.\n   indented\n buf:lint:ignore RPC_RESPONSE_STANDARD_NAME\n\n Last.\n"
    assert clean_comment(raw) == "First line.\n  indented\n\nLast."
    assert clean_comment(" buf:lint:ignore X\n") == ""
