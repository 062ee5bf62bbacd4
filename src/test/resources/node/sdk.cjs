// Runs one request through an official npm SDK (openai or @anthropic-ai/sdk, pinned in package.json here) against
// a test server and prints what the SDK made of the answer as one JSON object on stdout. NodeSdk.java runs it with
// NODE_PATH pointing at the installed packages and the job on stdin:
//   {"sdk": "openai" | "anthropic", "op": "create" | "stream" | "parse" | "tool-loop" | "responses.create" |
//    "responses.stream" | "responses.tool-loop" (openai's Responses API), "baseURL", "apiKey",
//    "request": {...the SDK call's parameters...}, "followUp": {...parameters merged into the second tool-loop call}}
// SDK errors (HTTP errors included) are reported as {"error": {...}} with exit status 0: they are results the Java
// test asserts on. Anything else (a bug in this script, a bad job) exits non-zero.
'use strict';

const OpenAI = require('openai');
const Anthropic = require('@anthropic-ai/sdk');

async function readStdin() {
  const parts = [];
  for await (const chunk of process.stdin) {
    parts.push(chunk);
  }
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

// The stand-in for a real tool: echoes the arguments it was called with, so the test can find them in the prompt
// of the follow-up request.
function runTool(name, args) {
  return JSON.stringify({ tool: name, received: args });
}

async function openaiTurn(client, op, request) {
  if (op === 'create') {
    return { response: await client.chat.completions.create(request) };
  }
  if (op === 'parse') {
    return { response: await client.chat.completions.parse(request) };
  }
  if (op === 'stream') {
    const stream = client.chat.completions.stream(request);
    const chunks = [];
    const argumentsDone = [];
    const contentDone = [];
    stream.on('tool_calls.function.arguments.done', (e) => argumentsDone.push(e));
    stream.on('content.done', (e) => contentDone.push(e));
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
    return { response: await stream.finalChatCompletion(), chunks, argumentsDone, contentDone };
  }
  if (op === 'responses.create') {
    return { response: await client.responses.create(request) };
  }
  if (op === 'responses.stream') {
    const stream = client.responses.stream(request);
    const events = [];
    for await (const event of stream) {
      events.push(event);
    }
    return { response: await stream.finalResponse(), events };
  }
  throw new Error('unknown openai op ' + op);
}

// The Responses API's loop as OpenAI's guide writes it: the first response's output items go back in the input,
// each function_call followed by its function_call_output.
async function responsesToolLoop(client, job) {
  const op = job.stream ? 'responses.stream' : 'responses.create';
  const first = await openaiTurn(client, op, job.request);
  const input = [...(typeof job.request.input === 'string'
    ? [{ role: 'user', content: job.request.input }] : job.request.input)];
  for (const item of first.response.output) {
    input.push(item);
    if (item.type === 'function_call') {
      input.push({ type: 'function_call_output', call_id: item.call_id,
        output: runTool(item.name, JSON.parse(item.arguments)) });
    }
  }
  const second = await openaiTurn(client, op, { ...job.request, ...job.followUp, input });
  return { first, second, input };
}

async function anthropicTurn(client, op, request) {
  if (op === 'create') {
    return { response: await client.messages.create(request) };
  }
  if (op === 'stream') {
    const stream = client.messages.stream(request);
    const events = [];
    const inputJson = [];
    stream.on('inputJson', (partialJson, snapshot) => inputJson.push({ partialJson, snapshot }));
    for await (const event of stream) {
      events.push(event);
    }
    return { response: await stream.finalMessage(), events, inputJson };
  }
  throw new Error('unknown anthropic op ' + op);
}

// Call, result, answer: the first turn's tool calls are run and sent back the way each SDK's documentation shows
// (the SDK's own assistant message or content blocks appended as they came back), then the model answers.
async function openaiToolLoop(client, job) {
  const op = job.stream ? 'stream' : 'create';
  const first = await openaiTurn(client, op, job.request);
  const message = first.response.choices[0].message;
  const messages = [...job.request.messages, message];
  for (const call of message.tool_calls || []) {
    messages.push({ role: 'tool', tool_call_id: call.id,
      content: runTool(call.function.name, JSON.parse(call.function.arguments)) });
  }
  const second = await openaiTurn(client, op, { ...job.request, ...job.followUp, messages });
  return { first, second, messages };
}

async function anthropicToolLoop(client, job) {
  const op = job.stream ? 'stream' : 'create';
  const first = await anthropicTurn(client, op, job.request);
  const content = first.response.content;
  const results = content.filter((b) => b.type === 'tool_use')
    .map((b) => ({ type: 'tool_result', tool_use_id: b.id, content: runTool(b.name, b.input) }));
  const messages = [...job.request.messages, { role: 'assistant', content }, { role: 'user', content: results }];
  const second = await anthropicTurn(client, op, { ...job.request, ...job.followUp, messages });
  return { first, second, messages };
}

function describeError(e) {
  return { name: e.constructor.name, status: e.status ?? null, message: e.message, body: e.error ?? null };
}

async function main() {
  const job = await readStdin();
  const options = { apiKey: job.apiKey, baseURL: job.baseURL, maxRetries: 0, timeout: 120000 };
  let result;
  try {
    if (job.sdk === 'openai') {
      const client = new OpenAI(options);
      result = job.op === 'tool-loop' ? await openaiToolLoop(client, job)
        : job.op === 'responses.tool-loop' ? await responsesToolLoop(client, job)
          : await openaiTurn(client, job.op, job.request);
    } else if (job.sdk === 'anthropic') {
      const client = new Anthropic(options);
      result = job.op === 'tool-loop' ? await anthropicToolLoop(client, job)
        : await anthropicTurn(client, job.op, job.request);
    } else {
      throw new Error('unknown sdk ' + job.sdk);
    }
  } catch (e) {
    // The SDKs' own errors: HTTP errors, connection errors, answers their helpers refuse to parse.
    if (e instanceof OpenAI.OpenAIError || e instanceof Anthropic.AnthropicError) {
      result = { error: describeError(e) };
    } else {
      throw e;
    }
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((e) => {
  process.stderr.write((e && e.stack) || String(e));
  process.exit(1);
});
