#!/usr/bin/env python3
"""Renders extra-templates.json: expected prompts for the Qwen3 and SmolLM2 chat templates in this folder, and for small
feature templates (string methods, slices, tojson, loops...), made the way
Hugging Face transformers renders chat templates (jinja2 ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks,
loopcontrols, transformers' tojson/raise_exception/strftime_now; no tools or documents passed).

First checks that this environment reproduces every 'real' rendering of chat-templates.json (so both files come from
the same semantics), then writes extra-templates.json next to this script. Not run by the tests; rerun by hand:
    python3 src/test/resources/templates/render_expectations.py
"""
import json
import os
import random
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


class AssistantTracker(jinja2.ext.Extension):
    """transformers' {% generation %} block, minus the index tracking: renders its body."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

    def _generation_support(self, caller):
        return caller()


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[AssistantTracker, jinja2.ext.loopcontrols])
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


FEATURE_MESSAGES = [
    {"role": "system", "content": "Sys"}, {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Yo"}, {"role": "user", "content": "Q"},
]

# Small templates, one per Jinja feature cairn must render as jinja2 does (name, template, extra arguments).
FEATURES = [
    ('strip', "{{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '  a '.lstrip() }}|{{ ' a  '.rstrip() }}|{{ '\\n\\nq\\n'.rstrip('\\n') }}|{{ ' t '|trim }}", {}),
    ('split', "{{ 'a  b c'.split()|join(',') }}|{{ 'a,b,,c'.split(',')|join('/') }}|{{ 'a,b,c'.split(',', 1)|join('/') }}|{{ 'a,b,c'.rsplit(',', 1)|join('/') }}|{{ 'x</think>y'.split('</think>')[-1] }}|{{ 'x.y'.split('.')[0] }}", {}),
    ('case', "{{ 'hello world'.title() }}|{{ 'ABC'.lower() }}|{{ 'abc'.upper() }}|{{ 'hELLO'.capitalize() }}|{{ 'abc'|upper }}", {}),
    ('affixes', "{% if 'abc'.startswith('ab') %}1{% endif %}{% if 'abc'.startswith(('x', 'a')) %}2{% endif %}{% if 'abc'.endswith('bc') %}3{% endif %}{% if not 'abc'.endswith('b') %}4{% endif %}", {}),
    ('str-misc', "{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'aaa'.replace('a', 'c') }}|{{ '{} and {}'.format('x', 'y') }}|{{ '-'.join(['a', 'b']) }}|{{ 'banana'.count('a') }}|{{ 'banana'.find('n') }}|{{ 'x' ~ 1 }}", {}),
    ('slices', "{{ 'abcdef'[1:3] }}|{{ 'abcdef'[::-1] }}|{{ 'abcdef'[::2] }}|{{ 'abcdef'[-2:] }}|{{ 'abcdef'[:-1] }}|{{ [1,2,3,4][1:]|join(',') }}|{{ [1,2,3,4][::-1]|join(',') }}|{{ [1,2,3,4][-3:-1]|join(',') }}", {}),
    ('message-slices', '{% for m in messages[1:] %}{{ m.role }},{% endfor %}|{% for m in messages[::-1] %}{{ m.content }},{% endfor %}|{{ messages[-1].content }}', {}),
    ('dict', "{% set d = {'b': 1, 'a': 2} %}{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{{ d.get('a') }}{{ d.get('z', 'dflt') }}{% for k in d %}{{ k }}{% endfor %}{{ d.keys()|join(',') }}{{ d.values()|list|join(',') }}{{ d['b'] }}{{ d.a }}", {}),
    ('tojson', '{{ {\'name\': \'f\', \'args\': {\'x\': [1, 2.5, true, none], \'ü\': \'é"\\\\\\n<&>\'}}|tojson }}|{{ [1, {\'a\': [], \'b\': {}}]|tojson(indent=2) }}|{{ \'plain\'|tojson }}', {}),
    ('namespace-loops', "{% set ns = namespace(n=0, s='') %}{% for m in messages %}{% if loop.first %}[{% endif %}{% set ns.n = ns.n + 1 %}{% if m.role == 'assistant' %}{% continue %}{% endif %}{% set ns.s = ns.s + m.content %}{% if loop.index0 == 3 %}{% break %}{% endif %}{{ loop.index }}/{{ loop.length }}/{{ loop.revindex }}{% if loop.last %}]{% endif %}{% endfor %}{{ ns.n }}:{{ ns.s }}", {}),
    ('tests', "{% if x is defined %}a{% endif %}{% if not x is defined %}b{% endif %}{% if none is none %}c{% endif %}{% if 'x' is string %}d{% endif %}{% if {} is mapping %}e{% endif %}{% if [] is mapping %}X{% endif %}{% if 1 is string %}Y{% endif %}{% if enable_thinking is defined and enable_thinking is false %}f{% endif %}{% if y is not none %}g{% endif %}", {'enable_thinking': False, 'y': 3}),
    ('whitespace', "{% if true %}\n  yes\n{% endif %}\n  {% for i in [1,2] %}\n{{ i }}\n  {% endfor %}\n{#- comment -#}\n   end  {{- ' x ' -}}  z\n", {}),
    ('precedence', "{{ 'a' if not 1 == 2 else 'b' }}{% if not messages|length > 10 %}c{% endif %}{{ namespace(v=messages|length - 1).v }}{% if not (1 == 1 and 2 == 3) %}d{% endif %}{{ 7 // 2 }}{{ 2 ** 3 }}", {}),
    ('loop-filter', "{{ messages[0].content }}:{% for m in messages if m.role != 'system' %}{{ loop.index }}{{ m.role }}{% if loop.previtem is defined %}<{{ loop.previtem.role }}{% endif %}{% if loop.nextitem is defined %}>{{ loop.nextitem.role }}{% endif %}{% if loop.last %}.{% endif %};{% endfor %}", {}),
    ('escapes', '{{ \'\\u00e9\\x41\\t|\' }}{{ "it\'s" }}{{ \'say "hi"\' }}', {}),
    ('macro', "{% macro turn(role, text='') %}<{{ role }}>{{ text }}</{{ role }}>{% endmacro %}{% for m in messages %}{{ turn(m.role, text=m.content) }}{% endfor %}{{ turn('end') }}", {}),
    ('nested-dicts', "{{ {'a': {'b': [1, {'c': 2}]}}|tojson }}", {}),
    ('comments', "a  {#- c #}  b|a \n {#- c #} \n b|x\n  {# c #}\ny|p {# c -#}\n  q\n{# end #}\n", {}),
    ('line-endings', "{% if true %}\r\nA\r\n{% endif %}\r\nB\rC\r\n", {}),
    ('printing', "{{ true }}|{{ [1, 'a', none, false] }}|{{ {'k': \"it's\"} }}|{{ x }}|{{ 2.5 }}|{{ messages[1] }}", {}),
    ('generation-block', "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% set inner = 1 %}{% endgeneration %}{% endif %}{% endfor %}{{ inner is defined }}", {}),
    ('for-else', "{% for m in [] %}x{% else %}empty{% endfor %}|{% for m in messages %}{{ m.role[0] }}{% if false %}{% else %}.{% endif %}{% else %}E{% endfor %}|{% for m in messages if m.role == 'x' %}x{% else %}none kept{% endfor %}", {}),
    ('indexing-repetition', "{% for m in messages %}{{ m.role[0] }}{{ m.role[-1] }}{% endfor %}|{{ '=' * 3 }}|{{ 3 * 'ab' }}|{{ ([1] * 3)|join }}|{{ 2 * 3 }}|{{ 1 + 2 * 3 }}|{{ 7 % 3 }}", {}),
    ('items-filter', "{% for k, v in messages[1]|items %}{{ k }}={{ v }};{% endfor %}", {}),
    ('upper-system', "{{ messages[0].content|upper }}", {}),
    ('range-and-recursion', "{{ range(5000)|length }}|{% macro count(n) %}{% if n > 0 %}{{ n }}{{ count(n - 1) }}{% endif %}{% endmacro %}{{ count(3) }}", {}),
    ('python-operators', "{{ 'a' and 'b' }}|{{ '' and 'b' }}|{{ none or 'x' }}|{{ 'a' ~ true ~ [1] }}|{{ messages[0].content|trim is string }}|{{ (messages|map(attribute='role')|list)|string }}|{{ 'abc'|last }}{{ 'abc'|first }}|{{ [3, 1, 2]|max }}{{ 'bca'|min }}|{{ 'ab'[5] }}|{{ 'x'|list }}", {}),
    ('blocks-and-filters', '{%- set ns = namespace(count=0, parts=[]) -%}\n{%- for m in messages -%}\n  {%- set outer = loop -%}\n  {%- for c in m.content.split(\' \') if c -%}\n    {%- set ns.count = ns.count + 1 -%}\n    [{{ outer.index }}.{{ loop.index }}:{{ c }}]\n  {%- endfor -%}\n{%- endfor %}\n{{ ns.count }}\n{% set block %}Block {{ messages|length }}{% endset %}{{ block|upper }}\n{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}\n{% call wrap(\'b\') %}inside {{ messages[1].content }}{% endcall %}\n{{ messages|map(attribute=\'content\')|map(\'trim\')|join(\'|\') }}\n{{ messages|rejectattr(\'role\', \'equalto\', \'user\')|map(attribute=\'role\')|join(\',\') }}\n{{ messages|selectattr(\'content\')|list|length }}\n{{ (messages|groupby(\'role\'))|length }}\n{% for m in messages|reverse %}{{ m.role[:1] }}{% endfor %}\n{{ "%s and %s"|format("a", "b") }}\n{{ messages[0].content|replace("a", "A")|truncate(10) }}\n{{ messages|sum(attribute=\'content\')|default(\'x\') if false else \'y\' }}\n{{ [1, 2, 3]|select(\'odd\')|list }} {{ range(1, 10, 3)|list }}\n{{ {\'b\': 2, \'a\': 1}|dictsort|first }}\n{{ messages[0] is mapping }} {{ messages is iterable }} {{ \'x\' in messages[0].content }}\n{{ loop is defined }}\n', {}),
    ('truncate-and-tuples', "{{ 'You Are A helpful Assistant'|truncate(10) }}|{{ 'abcdefghijklmnop'|truncate(10, true) }}|{{ 'short'|truncate(3, end='!') }}|{{ {'b': 2, 'a': 1}|dictsort }}|{{ {'b': 2}.items()|list }}", {}),
    ('percent-format', "{{ '%s!' % 'hi' }}|{{ '%s and %r' % ('a', 'b') }}|{{ '%05d|%-4s|%.2f|%x|%%' % (42, 'ab', 3.14159, 255) }}|{{ 7 % 3 }}|{{ '%d items' % messages|length }}", {}),
    ('filter-block', "{% filter upper %}filtered {{ messages[1].role }}{% endfilter %}|{% filter replace('a', 'b')|trim %}  banana  {% endfilter %}", {}),
    ('tojson-options', "{{ {'b': 'é', 'a': [1, {}]}|tojson }}|{{ {'b': 'é', 'a': [1]}|tojson(ensure_ascii=true, sort_keys=true) }}|{{ {'b': 1, 'a': [1]}|tojson(separators=(',', ':')) }}|{{ {'b': 1}|tojson(indent=2) }}|{{ {'b': '😀'}|tojson(true) }}", {}),
    ('filters', "{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='content')|join(',') }}|{{ messages|length }}|{{ (messages|first).role }}|{{ (messages|last).content }}|{{ [3,1,2]|sort|join }}|{{ x|default('dflt') }}|{{ range(3)|list|join(',') }}", {}),
]


def whitespace_template(rng, depth=0):
    """A random mix of text (spaces, tabs, newlines), blocks, expressions and comments with every whitespace-control
    marker, to compare whitespace handling with jinja2's lexer (trim_blocks, lstrip_blocks, '-' and '+')."""
    texts = ["a", " ", "  ", "\n", " \n", "\n  ", "\t", "b\n", "\n\n", "  x  "]
    parts = []
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        if r < 0.35:
            parts.append(rng.choice(texts))
        elif r < 0.5:
            parts.append(rng.choice(["{{ v }}", "{{- v }}", "{{ v -}}", "{{- v -}}"]))
        elif r < 0.6:
            parts.append(rng.choice(["{# c #}", "{#- c #}", "{# c -#}", "{#- c -#}", "{#+ c #}", "{# c +#}"]))
        elif r < 0.85 and depth < 3:
            o = rng.choice(["{% if t %}", "{%- if t %}", "{% if t -%}", "{%- if t -%}", "{% if f %}", "{%+ if t %}", "{% if t +%}"])
            c = rng.choice(["{% endif %}", "{%- endif %}", "{% endif -%}", "{%- endif -%}", "{%+ endif %}"])
            mid = ""
            if rng.random() < 0.3:
                mid = rng.choice(["{% else %}", "{%- else %}", "{% else -%}"]) + whitespace_template(rng, depth + 1)
            parts.append(o + whitespace_template(rng, depth + 1) + mid + c)
        elif depth < 3:
            o = rng.choice(["{% for i in [1, 2] %}", "{%- for i in [1, 2] %}", "{% for i in [1, 2] -%}"])
            c = rng.choice(["{% endfor %}", "{%- endfor %}", "{% endfor -%}"])
            parts.append(o + whitespace_template(rng, depth + 1) + c)
        else:
            parts.append(rng.choice(["{% set z = 1 %}", "{%- set z = 1 -%}"]))
    return "".join(parts)


def whitespace_cases(env, count):
    rng = random.Random(20240726)
    kwargs = {"v": "V", "t": True, "f": False}
    cases = []
    while len(cases) < count:
        text = whitespace_template(rng) + "{{ messages[0].content }}"
        cases.append({"template": text,
                      "expected": render(env, text, FEATURE_MESSAGES, "", "", True, kwargs)})
    return {"about": "random whitespace-control templates rendered by jinja2 (render_expectations.py); kwargs "
                     + json.dumps(kwargs), "kwargs": kwargs, "cases": cases}


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
    # Each feature template starts by printing the system message, so cairn does not take it for a template that
    # drops system messages (it would then merge the system text into the first user turn).
    features = [{"name": name, "template": "{{ messages[0].content }}|" + text, "kwargs": kwargs,
                  "expected": render(env, "{{ messages[0].content }}|" + text, FEATURE_MESSAGES, "<s>", "</s>", True, kwargs)}
                for name, text, kwargs in FEATURES]
    doc = {
        "about": "Qwen3 and SmolLM2 chat-template renderings by python3 jinja2 " + jinja2.__version__
                 + " the way Hugging Face transformers renders them; made by render_expectations.py, which first"
                 + " reproduced all " + str(checked) + " 'real' renderings of chat-templates.json.",
        "cases": out,
        "feature_messages": FEATURE_MESSAGES,
        "features": features,
    }
    with open(os.path.join(HERE, "extra-templates.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    ws = whitespace_cases(env, 400)
    with open(os.path.join(HERE, "whitespace-cases.json"), "w", encoding="utf-8") as f:
        json.dump(ws, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print("checked", checked, "shared renderings; wrote", len(out), "cases,", len(features), "features and",
          len(ws["cases"]), "whitespace cases")


if __name__ == "__main__":
    main()
