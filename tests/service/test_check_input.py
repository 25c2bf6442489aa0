"""The check fast path accepts only what the schema accepts, and loads it the same way."""

from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from service.schemas.checks import BatchSchema, CheckSchema, load_batch, load_check

TEXT = st.one_of(st.sampled_from(["acme", "web", "a-b", "acme\n", "Acme", "", "x" * 64,
                                  "users", "subscriptions", "read", "write", "delete",
                                  "m@acme.test"]), st.text(max_size=5))
VALUE = st.one_of(TEXT, st.none(), st.booleans(), st.integers(-2, 2), st.lists(TEXT, max_size=1),
                  st.dictionaries(st.just("at_least"), st.integers(-1, 3)))
KEYS = st.sampled_from(["member", "org", "project", "resource", "action", "explain",
                        "consistency", "extra"])
ITEM = st.dictionaries(KEYS, VALUE, max_size=7)
WELL_FORMED = st.fixed_dictionaries(
    {"member": st.sampled_from(["m@acme.test", "7"]), "org": st.sampled_from(["acme", "a-1"]),
     "resource": st.sampled_from(["users", "members"]), "action": st.sampled_from(["read"])},
    optional={"project": st.sampled_from(["web", None]), "explain": st.booleans(),
              "consistency": st.sampled_from(["fresh", "minimize_latency"])})


def schema_result(schema, data):
    try:
        return schema.load(data)
    except ValidationError:
        return "invalid"


def fast_result(loader, data):
    try:
        return loader(data)
    except ValidationError:
        return "invalid"


@settings(max_examples=1500)
@given(st.one_of(ITEM, WELL_FORMED, st.lists(TEXT, max_size=1), st.none()))
def test_a_single_check_loads_as_the_schema_loads_it(data):
    assert fast_result(load_check, data) == schema_result(CheckSchema(), data)


@settings(max_examples=600)
@given(st.dictionaries(st.sampled_from(["checks", "consistency", "extra"]),
                       st.one_of(st.lists(st.one_of(ITEM, WELL_FORMED), max_size=3), VALUE),
                       max_size=3))
def test_a_batch_loads_as_the_schema_loads_it(data):
    assert fast_result(load_batch, data) == schema_result(BatchSchema(), data)


def test_a_slug_with_a_trailing_newline_is_refused():
    assert schema_result(CheckSchema(), {"member": "m", "org": "acme\n", "resource": "users",
                                         "action": "read"}) == "invalid"
