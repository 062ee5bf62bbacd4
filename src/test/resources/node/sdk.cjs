// Runs one request through an official npm SDK (openai or @anthropic-ai/sdk, pinned in package.json here) against
// a test server and prints what the SDK made of the answer as one JSON object on stdout. NodeSdk.java runs it with
// NODE_PATH pointing at the installed packages and the job (or an array of jobs, run one after the other) on stdin:
//   {"sdk": "openai" | "anthropic", "op": "create" | "stream" | "parse" | "tool-loop" | "run-tools" (openai's
//    chat.completions.runTools) | "responses.create" |
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

// The stand-in for a real tool: echoes the arguments it was called with (and the job's ticket, when it has one), so
// the test can find them in the prompt of the follow-up request.
function runTool(name, args, ticket) {
  return JSON.stringify(ticket === undefined ? { tool: name, received: args } : { tool: name, ticket, received: args });
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
        output: runTool(item.name, JSON.parse(item.arguments), job.ticket) });
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
      content: runTool(call.function.name, JSON.parse(call.function.arguments), job.ticket) });
  }
  const second = await openaiTurn(client, op, { ...job.request, ...job.followUp, messages });
  return { first, second, messages };
}

async function anthropicToolLoop(client, job) {
  const op = job.stream ? 'stream' : 'create';
  const first = await anthropicTurn(client, op, job.request);
  const content = first.response.content;
  const results = content.filter((b) => b.type === 'tool_use')
    .map((b) => ({ type: 'tool_result', tool_use_id: b.id, content: runTool(b.name, b.input, job.ticket) }));
  const messages = [...job.request.messages, { role: 'assistant', content }, { role: 'user', content: results }];
  const second = await anthropicTurn(client, op, { ...job.request, ...job.followUp, messages });
  return { first, second, messages };
}

function describeError(e) {
  return { name: e.constructor.name, status: e.status ?? null, message: e.message, body: e.error ?? null };
}

// The SDK's own tool runner: it parses each call's arguments, calls the function and sends its result back.
async function openaiRunTools(client, job) {
  const calls = [];
  const tools = job.request.tools.map((t) => ({
    type: 'function',
    function: {
      ...t.function,
      parse: JSON.parse,
      function: (args) => {
        calls.push({ name: t.function.name, args });
        return runTool(t.function.name, args, job.ticket);
      },
    },
  }));
  const runner = client.chat.completions.runTools({ ...job.request, tools });
  await runner.done();
  return { calls, messages: runner.messages, response: await runner.finalChatCompletion() };
}

async function runJob(job) {
  const options = { apiKey: job.apiKey, baseURL: job.baseURL, maxRetries: 0, timeout: 120000 };
  try {
    if (job.sdk === 'openai') {
      const client = new OpenAI(options);
      if (job.op === 'tool-loop') {
        return await openaiToolLoop(client, job);
      }
      if (job.op === 'responses.tool-loop') {
        return await responsesToolLoop(client, job);
      }
      return job.op === 'run-tools' ? await openaiRunTools(client, job) : await openaiTurn(client, job.op, job.request);
    }
    if (job.sdk === 'anthropic') {
      const client = new Anthropic(options);
      return job.op === 'tool-loop' ? await anthropicToolLoop(client, job)
        : await anthropicTurn(client, job.op, job.request);
    }
    throw new Error('unknown sdk ' + job.sdk);
  } catch (e) {
    // The SDKs' own errors: HTTP errors, connection errors, answers their helpers refuse to parse.
    if (e instanceof OpenAI.OpenAIError || e instanceof Anthropic.AnthropicError) {
      return { error: describeError(e) };
    }
    throw e;
  }
}

async function main() {
  const input = await readStdin();
  const results = [];
  for (const job of Array.isArray(input) ? input : [input]) {
    results.push(await runJob(job));
  }
  process.stdout.write(JSON.stringify(Array.isArray(input) ? results : results[0]));
}

main().catch((e) => {
  process.stderr.write((e && e.stack) || String(e));
  process.exit(1);
});
