#!/usr/bin/env python3
"""Renders tool-templates.json: expected prompts for conversations with tools, tool calls and tool results, made the
way Hugging Face transformers' apply_chat_template(messages, tools=...) renders them (same jinja2 environment as
render_expectations.py: sandbox, trim_blocks, lstrip_blocks, loopcontrols, transformers' tojson/raise_exception/
strftime_now, date_string fixed).

What the template gets, as transformers gives it:
  tools     [{"type": "function", "function": {"name", "description", "parameters"}}] (description "" when a tool
            has none, as llama.cpp passes it: Hermes' and Functionary's templates fail without one)
  assistant {"role": "assistant", "content": text (None when the turn holds only calls), "tool_calls": [{"id", "type":
            "function", "function": {"name", "arguments": <object>}}]} ("tool_calls" only when there are calls;
            "reasoning_content" only when given). Arguments are the object parsed from the call's JSON text, except
            for templates that only render them as text (Functionary concatenates them), which get the text itself.
  tool      {"role": "tool", "content", "tool_call_id", "name"}
Content of an assistant turn holding only calls: "" as llama.cpp's server passes it (Command-R+'s template prints a
None content as the text "None"), except for templates that show such a turn differently when its content is None
(DeepSeek-R1's render calls only then), which get None, as OpenAI clients send it (null) and transformers passes it.
(Not here: llama.cpp's own DeepSeek-R1 template, written for llama.cpp's Jinja: jinja2 cannot render it with tools,
tojson refuses the generator its map filter makes.)

Templates that know no tools (a probe render with a sentinel tool name does not show it) get llama.cpp's generic
treatment (minja's polyfills, as cairn's GenericToolPrompt does): the tools described in the system prompt with the
JSON answer format, assistant calls in history as JSON text, tool results as user turns holding a JSON object.

Templates that refuse a conversation (raise_exception) record the error message instead of a prompt.
Not run by the tests; rerun by hand:
    python3 src/test/resources/templates/render_tool_expectations.py
"""
import copy
import json
import os

import jinja2

from render_expectations import environment

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = {"date_string": "26 Jul 2024"}

# The functions and the conversations as an API client gives them to cairn (tools as name/description/parameters,
# call arguments as JSON text); hf_tools and to_template make what the template gets.
TOOLS = [
    {"name": "get_weather", "description": "Current weather for a place.",
     "parameters": {
         "type": "object",
         "properties": {
             "location": {"type": "string", "description": "City name, e.g. \"Paris\""},
             "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
             "days": {"type": "integer", "minimum": 1, "maximum": 7},
         },
         "required": ["location"],
     }},
    {"name": "search_events", "description": "Recherche d'événements — filtres inclus.",
     "parameters": {
         "type": "object",
         "properties": {
             "query": {"type": "string"},
             "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
             "filters": {
                 "type": "object",
                 "properties": {"site": {"type": "string"}, "recent": {"type": "boolean"},
                                "max_price": {"type": ["number", "null"]}},
                 "required": ["recent"],
                 "additionalProperties": False,
             },
         },
         "required": ["query", "tags"],
     }},
    {"name": "get_time", "parameters": {"type": "object", "properties": {}}},
]


def call(call_id, name, arguments):
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
USER = {"role": "user", "content": "What's the weather in Paris, and what's on tonight?"}
ONE_CALL = {"role": "assistant", "content": None, "tool_calls": [
    call("call0Abc1", "get_weather", '{"location": "Paris", "unit": "celsius"}')]}
ONE_RESULT = {"role": "tool", "content": "{\"temperature\": 21, \"sky\": \"sunny\"}", "tool_call_id": "call0Abc1",
              "name": "get_weather"}
TWO_CALLS = {"role": "assistant", "content": "Let me look up events and the time.", "tool_calls": [
    call("call1Def2", "search_events",
         '{"query":"Paris tonight","tags":["music","théâtre"],"filters":{"recent":true,"max_price":20.5}}'),
    call("call2Ghi3", "get_time", "{}")]}
TWO_RESULTS = [
    {"role": "tool", "content": "[{\"name\": \"Jazz night\", \"price\": 15}]", "tool_call_id": "call1Def2",
     "name": "search_events"},
    {"role": "tool", "content": "20:15", "tool_call_id": "call2Ghi3"},
]
ANSWER = {"role": "assistant", "content": "It is 21 °C and sunny; Jazz night starts soon (it is 20:15)."}
FOLLOW_UP = {"role": "user", "content": "Thanks! Book it."}

CONVERSATIONS = {
    "tools offered": [SYSTEM, USER],
    "tools offered, no system": [USER],
    "after one call": [SYSTEM, USER, ONE_CALL, ONE_RESULT],
    "single-call loop": [SYSTEM, USER, ONE_CALL, ONE_RESULT, ANSWER, FOLLOW_UP],
    "after two calls": [SYSTEM, USER, ONE_CALL, ONE_RESULT, TWO_CALLS] + TWO_RESULTS,
    "full loop": [SYSTEM, USER, ONE_CALL, ONE_RESULT, TWO_CALLS] + TWO_RESULTS + [ANSWER, FOLLOW_UP],
}
REASONING_CONVERSATION = [
    SYSTEM, USER,
    dict(ONE_CALL, reasoning_content="The user wants the weather; call get_weather."),
    ONE_RESULT,
    dict(ANSWER, reasoning_content="Sunny and warm; say so."),
    FOLLOW_UP,
]


def hf_tools(tools):
    return [{"type": "function", "function": {"name": t["name"], "description": t.get("description", ""),
                                               "parameters": t["parameters"]}} for t in tools]


def to_template(messages, object_arguments, null_content):
    """Call arguments as the object their JSON text holds (or as the text itself); content beside calls "" or None."""
    out = copy.deepcopy(messages)
    for m in out:
        if m.get("tool_calls") and not m["content"]:
            m["content"] = None if null_content else ""
        for c in m.get("tool_calls", []):
            if object_arguments:
                c["function"]["arguments"] = json.loads(c["function"]["arguments"])
    return out


# (file, bos, eos) as the models' GGUFs carry them.
TEMPLATES = [
    ("Qwen-Qwen2.5-7B-Instruct.jinja", "", "<|im_end|>"),
    ("Qwen-Qwen3-8B.jinja", "", "<|im_end|>"),
    ("meta-llama-Llama-3.1-8B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>"),
    ("meta-llama-Llama-3.2-3B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>"),
    ("meta-llama-Llama-3.3-70B-Instruct.jinja", "<|begin_of_text|>", "<|eot_id|>"),
    ("mistralai-Mistral-Nemo-Instruct-2407.jinja", "<s>", "</s>"),
    ("NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja", "<|begin_of_text|>", "<|im_end|>"),
    ("NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja", "<|begin_of_text|>", "<|im_end|>"),
    ("CohereForAI-c4ai-command-r-plus-tool_use.jinja", "<BOS_TOKEN>", "<|END_OF_TURN_TOKEN|>"),
    ("CohereForAI-c4ai-command-r7b-12-2024-tool_use.jinja", "<BOS_TOKEN>", "<|END_OF_TURN_TOKEN|>"),
    ("meetkai-functionary-medium-v3.1.jinja", "<|begin_of_text|>", "<|eot_id|>"),
    ("meetkai-functionary-medium-v3.2.jinja", "<|begin_of_text|>", "<|eot_id|>"),
    ("deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    ("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    ("google-gemma-2-2b-it.jinja", "<bos>", "<eos>"),
    ("microsoft-Phi-3.5-mini-instruct.jinja", "<s>", "<|endoftext|>"),
    ("HuggingFaceTB-SmolLM2-1.7B-Instruct.jinja", "<|im_start|>", "<|im_end|>"),
]


def raw_render(env, text, messages, tools, bos, eos, agp, kwargs):
    args = dict(DATE, **kwargs)
    if tools is not None:
        args["tools"] = tools
    return env.from_string(text).render(messages=messages, add_generation_prompt=agp, bos_token=bos,
                                        eos_token=eos, **args)


def try_render(env, text, messages, tools=None, agp=False):
    try:
        return raw_render(env, text, messages, tools, "", "", agp, {})
    except Exception:
        return ""


PROBE_TOOL = [{"type": "function", "function": {
    "name": "cairn_probe_tool_5d1e", "description": "Some tool.",
    "parameters": {"type": "object", "properties": {"arg": {"type": "string"}}, "required": ["arg"]}}}]
PROBE_USER = {"role": "user", "content": "cairn-probe-user-2b8e41"}
PROBE_SYSTEM = "cairn-probe-system-7f3a9c"


def caps(env, text):
    """What the template does by itself, probed as cairn's JinjaChatTemplate (like llama.cpp's minja) probes it:
    whether it shows a system message, a tool, an assistant call's arguments (given as an object, or else as JSON
    text) and a tool result."""
    def call_message(arguments, content=""):
        return {"role": "assistant", "content": content, "tool_calls": [call("call1Abc2", "cairn_probe_call_8c2f",
                                                                             arguments)]}

    def shows_arguments(out):
        return '"cairn_probe_argument":' in out or "'cairn_probe_argument':" in out

    obj = {"cairn_probe_argument": "x"}

    def shows_none_differently(arguments):
        with_none = try_render(env, text, [PROBE_USER, call_message(arguments, None)])
        return with_none != "" and "None" not in with_none and with_none != try_render(
            env, text, [PROBE_USER, call_message(arguments)])

    null_content = shows_none_differently(obj) or shows_none_differently(json.dumps(obj))
    content = None if null_content else ""
    object_out = try_render(env, text, [PROBE_USER, call_message(obj, content)])
    text_out = try_render(env, text, [PROBE_USER, call_message(json.dumps(obj), content)])
    object_arguments = '"cairn_probe_argument":' in object_out or not shows_arguments(text_out)
    tool_calls = shows_arguments(object_out) or shows_arguments(text_out)
    result = {"role": "tool", "content": "cairn-probe-result-3e9a", "tool_call_id": "call1Abc2",
              "name": "cairn_probe_call_8c2f"}
    with_result = [PROBE_USER, call_message(obj if object_arguments else json.dumps(obj), content), result]
    with_system = try_render(env, text, [{"role": "system", "content": PROBE_SYSTEM}, PROBE_USER], agp=True).lower()
    return {
        "system": PROBE_SYSTEM in with_system,
        "null_content": null_content,
        "tools": "cairn_probe_tool_5d1e" in try_render(env, text, [PROBE_USER], PROBE_TOOL),
        "tool_calls": tool_calls,
        "object_arguments": object_arguments,
        "tool_responses": tool_calls and "cairn-probe-result-3e9a" in try_render(env, text, with_result),
    }


GENERIC_INSTRUCTION = ("Respond in JSON format, either with `tool_call` (a request to call tools) or with `response` "
                       "reply to the user's request")
EXAMPLE_PARALLEL = {"tool_calls": [{"name": "tool_name", "arguments": {"arg1": "some_value"}, "id": "call_1___"}]}


def dumps2(value):
    return json.dumps(value, ensure_ascii=False, indent=2)


def add_system(messages, text):
    if messages and messages[0]["role"] == "system":
        return [{"role": "system", "content": messages[0]["content"] + "\n\n" + text}] + messages[1:]
    return [{"role": "system", "content": text}] + messages


def describe(messages, tools):
    """llama.cpp's generic tool format (parallel calls allowed): the answer format, then the tools, in the system
    prompt (the same text as cairn's GenericToolPrompt.describe)."""
    text = (GENERIC_INSTRUCTION + "\n\nYou can call any of the following tools to satisfy the user's requests: "
            + dumps2(tools) + "\n\nExample tool call syntax:\n\n" + dumps2(EXAMPLE_PARALLEL) + "\n\n")
    return add_system(messages, text)


def polyfill_history(messages, cap):
    """minja's polyfills: calls as a JSON object of the assistant's text, results as user turns."""
    out = []
    for m in messages:
        m = dict(m)
        if "tool_calls" in m and not cap["tool_calls"]:
            calls = []
            for c in m["tool_calls"]:
                call = {"name": c["function"]["name"], "arguments": c["function"]["arguments"]}
                if c.get("id"):
                    call["id"] = c["id"]
                calls.append(call)
            obj = {"tool_calls": calls}
            if m.get("content"):
                obj["content"] = m["content"]
            m["content"] = dumps2(obj)
            del m["tool_calls"]
        if m["role"] == "tool" and not cap["tool_responses"]:
            response = {}
            if m.get("name"):
                response["tool"] = m["name"]
            response["content"] = m["content"]
            if m.get("tool_call_id"):
                response["tool_call_id"] = m["tool_call_id"]
            m = {"role": "user", "content": dumps2({"tool_response": response})}
        out.append(m)
    return out


def merge_system(messages):
    """llama.cpp's fallback for templates that refuse a system message (as in render_expectations.py), keeping
    the other messages' fields."""
    out, pending = [], None
    for m in messages:
        if m["role"] == "system":
            pending = m["content"] if pending is None else pending + "\n" + m["content"]
        elif m["role"] == "user" and pending is not None:
            out.append(dict(m, content=pending + ("\n" + m["content"] if m["content"] else "")))
            pending = None
        else:
            out.append(m)
    if pending is not None:
        out.append({"role": "user", "content": pending})
    return out


def render_case(env, text, cap, messages, bos, eos, agp, kwargs):
    messages = to_template(messages, cap["object_arguments"], cap["null_content"])
    tools = hf_tools(TOOLS)
    if not cap["tools"]:
        messages = describe(messages, tools)
        tools = None
    messages = polyfill_history(messages, cap)
    if not cap["system"]:
        messages = merge_system(messages)
    try:
        return {"expected": raw_render(env, text, messages, tools, bos, eos, agp, kwargs)}
    except jinja2.exceptions.TemplateError as e:
        return {"error": str(e)}


def main():
    env = environment()
    cases = []
    for template_file, bos, eos in TEMPLATES:
        with open(os.path.join(HERE, template_file), encoding="utf-8") as f:
            text = f.read()
        cap = caps(env, text)
        conversations = list(CONVERSATIONS.items())
        if "reasoning_content" in text:
            conversations.append(("reasoning in history", REASONING_CONVERSATION))
        for name, messages in conversations:
            for agp in (True, False):
                case = {"name": template_file.removesuffix(".jinja") + ": " + name
                                + (" (add_generation_prompt)" if agp else ""),
                        "template_file": template_file, "bos_token": bos, "eos_token": eos,
                        "conversation": name, "add_generation_prompt": agp, "caps": cap}
                case.update(render_case(env, text, cap, messages, bos, eos, agp, {}))
                cases.append(case)
    doc = {
        "about": "Chat-template renderings with tools by python3 jinja2 " + jinja2.__version__
                 + " the way Hugging Face transformers renders apply_chat_template(messages, tools=...); made by"
                 + " render_tool_expectations.py (read it for the inputs). Templates whose caps.tools is false got"
                 + " llama.cpp's generic tool prompt and history polyfills; 'error' is a template's refusal.",
        "date_string": DATE["date_string"],
        "tools": TOOLS,
        "conversations": dict(CONVERSATIONS, **{"reasoning in history": REASONING_CONVERSATION}),
        "cases": cases,
    }
    with open(os.path.join(HERE, "tool-templates.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    errors = sum(1 for c in cases if "error" in c)
    print("wrote", len(cases), "cases,", errors, "of them expected errors")
    for template_file, _, _ in TEMPLATES:
        mine = [c for c in cases if c["template_file"] == template_file]
        print(" ", template_file, mine[0]["caps"], "errors:", [c["conversation"] for c in mine if "error" in c][:3])


if __name__ == "__main__":
    main()
