#!/usr/bin/env python3
"""Renders extra-templates.json: expected prompts for the Qwen3 and SmolLM2 chat templates in this folder, made the way
Hugging Face transformers renders chat templates (jinja2 ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks,
loopcontrols, transformers' tojson/raise_exception/strftime_now; no tools or documents passed).

First checks that this environment reproduces every 'real' rendering of chat-templates.json (so both files come from
the same semantics), then writes extra-templates.json next to this script. Not run by the tests; rerun by hand:
    python3 src/test/resources/templates/render_expectations.py
"""
import json
import os
import sys
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(fmt):
    return datetime.now().strftime(fmt)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(env, template_text, messages, bos, eos, add_generation_prompt, kwargs):
    template = env.from_string(template_text)
    return template.render(messages=messages, add_generation_prompt=add_generation_prompt,
                           bos_token=bos, eos_token=eos, **kwargs)


def merge_system(messages):
    """llama.cpp's fallback for templates that refuse a system message: system + newline + first user turn."""
    out, pending = [], None
    for m in messages:
        if m["role"] == "system":
            pending = m["content"] if pending is None else pending + "\n" + m["content"]
        elif m["role"] == "user" and pending is not None:
            out.append({"role": "user", "content": pending + ("\n" + m["content"] if m["content"] else "")})
            pending = None
        else:
            out.append(m)
    return out


def check_shared_renderings(env):
    with open(os.path.join(HERE, "chat-templates.json"), encoding="utf-8") as f:
        data = json.load(f)
    conversation = data["conversation"]
    for case in data["real"]:
        with open(os.path.join(HERE, case["template_file"]), encoding="utf-8") as f:
            text = f.read()
        msgs = conversation if case["messages"] == "with system" else conversation[1:]
        args = (case["bos_token"], case["eos_token"], case["add_generation_prompt"], {"date_string": "26 Jul 2024"})
        try:
            got = render(env, text, msgs, *args)
        except jinja2.exceptions.TemplateError:
            got = render(env, text, merge_system(msgs), *args)
        if got != case["expected"]:
            sys.exit("environment does not reproduce chat-templates.json: " + case["name"])
    return len(data["real"])


SYSTEM = {"role": "system", "content": "You are a helpful assistant"}
BASIC = [
    {"role": "user", "content": "Hello"},
    {"role": "assistant", "content": "Hi there"},
    {"role": "user", "content": "Who are you"},
    {"role": "assistant", "content": "   I am an assistant   "},
    {"role": "user", "content": "Another question"},
]
REASONING = [
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "<think>\nSimple arithmetic.\n</think>\n\n2+2 = 4."},
    {"role": "user", "content": "And 3+3?"},
]
REASONING_LAST = REASONING + [
    {"role": "assistant", "content": "<think>\nAdd three and three.\n</think>\n\n3+3 = 6."},
]
TOOLS = [
    SYSTEM,
    {"role": "user", "content": "Weather in Paris?"},
    {"role": "assistant", "content": "Let me check."},
    {"role": "tool", "content": "{\"temperature\": 21}"},
    {"role": "tool", "content": "{\"wind\": \"5 km/h\"}"},
    {"role": "assistant", "content": "It is 21 °C with light wind."},
    {"role": "user", "content": "Thanks!"},
]

QWEN3 = ("Qwen-Qwen3-8B.jinja", "", "<|im_end|>")
SMOLLM2 = ("HuggingFaceTB-SmolLM2-1.7B-Instruct.jinja", "<|im_start|>", "<|im_end|>")

CASES = [
    ("Qwen3 (with system)", QWEN3, [SYSTEM] + BASIC, True, {}),
    ("Qwen3 (without system)", QWEN3, BASIC, True, {}),
    ("Qwen3 (enable_thinking=false)", QWEN3, [SYSTEM] + BASIC, True, {"enable_thinking": False}),
    ("Qwen3 (enable_thinking=true)", QWEN3, [SYSTEM] + BASIC, True, {"enable_thinking": True}),
    ("Qwen3 (earlier reasoning dropped)", QWEN3, REASONING, True, {}),
    ("Qwen3 (final assistant turn keeps reasoning)", QWEN3, REASONING_LAST, False, {}),
    ("Qwen3 (tool responses)", QWEN3, TOOLS, True, {"enable_thinking": False}),
    ("SmolLM2 (with system)", SMOLLM2, [SYSTEM] + BASIC, True, {}),
    ("SmolLM2 (without system)", SMOLLM2, BASIC, True, {}),
    ("SmolLM2 (no generation prompt)", SMOLLM2, BASIC, False, {}),
]


def main():
    env = environment()
    checked = check_shared_renderings(env)
    out = []
    for name, (template_file, bos, eos), messages, agp, kwargs in CASES:
        with open(os.path.join(HERE, template_file), encoding="utf-8") as f:
            text = f.read()
        out.append({
            "name": name, "template_file": template_file, "bos_token": bos, "eos_token": eos,
            "messages": messages, "add_generation_prompt": agp, "kwargs": kwargs,
            "expected": render(env, text, messages, bos, eos, agp, kwargs),
        })
    doc = {
        "about": "Qwen3 and SmolLM2 chat-template renderings by python3 jinja2 " + jinja2.__version__
                 + " the way Hugging Face transformers renders them; made by render_expectations.py, which first"
                 + " reproduced all " + str(checked) + " 'real' renderings of chat-templates.json.",
        "cases": out,
    }
    with open(os.path.join(HERE, "extra-templates.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("checked", checked, "shared renderings; wrote", len(out), "cases")


if __name__ == "__main__":
    main()
