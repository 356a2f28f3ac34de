/**
 * Generates tiny real models for tests (never committed): a bigram language
 * model over bytes as a two-node ONNX decoder (Gather → MatMul), with a
 * byte-level BPE tokenizer, in the layout transformers.js loads from
 * `env.localModelPath`. Variants:
 *   tiny-critic        deterministically answers {"decision": "approve"} (use_cache: false)
 *   tiny-critic-kv     the same answers, with past_key_values inputs/outputs to test KV reuse
 *   tiny-critic-babble answers letters only, so every verdict is `unparsed`
 *   tiny-critic-revise deterministically answers a revise verdict with REVISE_FEEDBACK (with a
 *                      KV cache), so a supervised episode really intervenes
 *   tiny-critic-prefill tiny-critic-kv's answers and cache, plus a stack of dense
 *                      layers computed on every input token, so a prefill costs
 *                      compute per prompt token as a real decoder's does (bench
 *                      only: `makePrefillModel`, not in `npm run fixtures`)
 * They go to .fixtures/models only: tests serve that folder (Vite's dev
 * server and the e2e harness), so the production build never ships them.
 * Idempotent: rewrites only what changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

// onnx-proto is CommonJS: Node exposes only its default export to ESM.
const { onnx } = onnxProto;
type TensorProto = InstanceType<typeof onnx.TensorProto>;
type ValueInfoProto = InstanceType<typeof onnx.ValueInfoProto>;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BOS = 256;
const EOS = 257;
/** Whole-answer tokens, so a bigram chain can spell a valid verdict. */
const EXTRA_TOKENS = ['{"decision":', ' "approve"'];
const [OPEN, APPROVE, REVISE] = [258, 259, 260];
/**
 * tiny-critic-revise's feedback: what a critic objects with, with an image tag whose
 * onerror must never run, so the screens that show it prove they show it as text.
 */
export const REVISE_FEEDBACK = 'Confirm with the user first. <img src=x onerror=alert(1)>';
const KV_DIM = 4;

type Variant = 'approve' | 'babble' | 'revise';

/**
 * A variant's whole-answer tokens, after the 256 bytes, BOS and EOS. Only the revise
 * variant has its third (id 260), so the others' vocabularies, ids and files stay as they were.
 */
function extraTokens(variant: Variant): string[] {
  return variant === 'revise' ? [...EXTRA_TOKENS, ` "revise", "feedback": ${JSON.stringify(REVISE_FEEDBACK)}`] : EXTRA_TOKENS;
}

function vocabSize(variant: Variant): number {
  return 256 + 2 + extraTokens(variant).length;
}

/** GPT-2's byte → printable unicode map used by byte-level BPE. */
function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out: string[] = new Array<string>(256).fill('');
  bs.forEach((b, i) => (out[b] = String.fromCodePoint(cs[i] ?? 0)));
  return out;
}

function byteLevel(text: string, map: string[]): string {
  return [...new TextEncoder().encode(text)].map((b) => map[b] ?? '').join('');
}

/** Deterministic pseudo-random numbers (mulberry32), so the files are byte-identical run to run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bigram logits: row = previous token, column = next token. */
function bigramTable(variant: Variant): Float32Array {
  const vocab = vocabSize(variant);
  const rand = rng({ approve: 1, babble: 2, revise: 4 }[variant]);
  const t = new Float32Array(vocab * vocab);
  for (let i = 0; i < t.length; i++) t[i] = rand();
  const letters = 'abcdefghijklmnopqrstuvwxyz ';
  const prefer = (from: number, to: number) => (t[from * vocab + to] = 10);
  if (variant === 'approve' || variant === 'revise') {
    // The chat template ends the prompt with "\n": the answer starts there.
    const decision = variant === 'approve' ? APPROVE : REVISE;
    prefer(10, OPEN);
    prefer(OPEN, decision);
    prefer(decision, '}'.charCodeAt(0));
    prefer('}'.charCodeAt(0), EOS);
    for (let r = 0; r < vocab; r++) if (![10, OPEN, decision, 125].includes(r)) prefer(r, EOS);
  } else {
    // Letters forever (until max_new_tokens): never a JSON object.
    for (let r = 0; r < vocab; r++) prefer(r, letters.charCodeAt(Math.floor(rand() * letters.length)));
  }
  return t;
}

function floatInit(name: string, dims: number[], data: Float32Array): TensorProto {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

function valueInfo(name: string, elemType: number, dims: Array<string | number>): ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

/** A stack of `layers` dense layers of width `hidden`, run on every input token. */
export interface DenseStack {
  hidden: number;
  layers: number;
}

/**
 * Nodes and weights of a dense stack whose result is added to the logits times
 * `dense_gate`, a zero computed from the attention mask (min(mask) × 0): not a
 * constant, so onnxruntime cannot fold the stack away and computes it on every
 * input token, yet the logits stay exactly the bigram's (Tanh keeps the stack
 * finite, and a finite number times 0 is 0).
 */
function denseStack({ hidden, layers }: DenseStack, vocab: number): { nodes: InstanceType<typeof onnx.NodeProto>[]; initializer: TensorProto[] } {
  const rand = rng(3);
  const weights = (rows: number, cols: number) => {
    const w = new Float32Array(rows * cols);
    const scale = 2 / Math.sqrt(rows);
    for (let i = 0; i < w.length; i++) w[i] = (rand() - 0.5) * scale;
    return w;
  };
  const initializer = [floatInit('dense_embed', [vocab, hidden], weights(vocab, hidden))];
  const nodes = [onnx.NodeProto.create({ opType: 'Gather', input: ['dense_embed', 'input_ids'], output: ['dense_0'] })];
  for (let l = 0; l < layers; l++) {
    initializer.push(floatInit(`dense_w${l}`, [hidden, hidden], weights(hidden, hidden)));
    nodes.push(
      onnx.NodeProto.create({ opType: 'MatMul', input: [`dense_${l}`, `dense_w${l}`], output: [`dense_${l}_mm`] }),
      onnx.NodeProto.create({ opType: 'Tanh', input: [`dense_${l}_mm`], output: [`dense_${l + 1}`] }),
    );
  }
  initializer.push(floatInit('dense_out', [hidden, vocab], weights(hidden, vocab)), floatInit('zero', [1], new Float32Array([0])));
  nodes.push(
    onnx.NodeProto.create({
      opType: 'ReduceMin',
      input: ['attention_mask'],
      output: ['mask_min'],
      attribute: [onnx.AttributeProto.create({ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 })],
    }),
    onnx.NodeProto.create({
      opType: 'Cast',
      input: ['mask_min'],
      output: ['mask_min_f'],
      attribute: [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT })],
    }),
    onnx.NodeProto.create({ opType: 'Mul', input: ['mask_min_f', 'zero'], output: ['dense_gate'] }),
    onnx.NodeProto.create({ opType: 'MatMul', input: [`dense_${layers}`, 'dense_out'], output: ['dense_logits'] }),
    onnx.NodeProto.create({ opType: 'Mul', input: ['dense_logits', 'dense_gate'], output: ['dense_zero'] }),
    onnx.NodeProto.create({ opType: 'Add', input: ['bigram_logits', 'dense_zero'], output: ['logits'] }),
  );
  return { nodes, initializer };
}

function buildModel(variant: Variant, withKv: boolean, dense?: DenseStack): Uint8Array {
  const vocab = vocabSize(variant);
  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const identity = new Float32Array(vocab * vocab);
  for (let i = 0; i < vocab; i++) identity[i * vocab + i] = 1;
  const nodes = [
    onnx.NodeProto.create({ opType: 'Gather', input: ['embed', 'input_ids'], output: ['hidden'], name: 'embed_lookup' }),
    onnx.NodeProto.create({ opType: 'MatMul', input: ['hidden', 'lm_head'], output: [dense ? 'bigram_logits' : 'logits'], name: 'lm_head' }),
  ];
  const initializer = [floatInit('embed', [vocab, vocab], identity), floatInit('lm_head', [vocab, vocab], bigramTable(variant))];
  const inputs = [valueInfo('input_ids', I64, ['batch', 'seq']), valueInfo('attention_mask', I64, ['batch', 'total'])];
  const outputs = [valueInfo('logits', F, ['batch', 'seq', vocab])];
  if (dense) {
    const stack = denseStack(dense, vocab);
    nodes.push(...stack.nodes);
    initializer.push(...stack.initializer);
  }
  if (withKv) {
    // A cache that records one small vector per token: enough for the runtime to
    // slice and extend it exactly as it does for a real decoder.
    const kv = new Float32Array(vocab * KV_DIM);
    for (let i = 0; i < kv.length; i++) kv[i] = (i % 97) / 97;
    initializer.push(floatInit('kv_embed', [vocab, KV_DIM], kv));
    initializer.push(
      onnx.TensorProto.create({ name: 'axis1', dims: [1], dataType: I64, rawData: new Uint8Array(new BigInt64Array([1n]).buffer) }),
    );
    nodes.push(
      onnx.NodeProto.create({ opType: 'Gather', input: ['kv_embed', 'input_ids'], output: ['kv_new3'] }),
      onnx.NodeProto.create({ opType: 'Unsqueeze', input: ['kv_new3', 'axis1'], output: ['kv_new'] }),
    );
    for (const kind of ['key', 'value']) {
      const past = `past_key_values.0.${kind}`;
      const present = `present.0.${kind}`;
      inputs.push(valueInfo(past, F, ['batch', 1, 'past', KV_DIM]));
      outputs.push(valueInfo(present, F, ['batch', 1, 'total', KV_DIM]));
      nodes.push(
        onnx.NodeProto.create({
          opType: 'Concat',
          input: [past, 'kv_new'],
          output: [present],
          attribute: [onnx.AttributeProto.create({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 2 })],
        }),
      );
    }
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'spotter-make-tiny-model',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'bigram', node: nodes, initializer, input: inputs, output: outputs },
  });
  return onnx.ModelProto.encode(model).finish();
}

function tokenizerJson(variant: Variant): object {
  const map = bytesToUnicode();
  const vocab: Record<string, number> = {};
  for (let b = 0; b < 256; b++) vocab[map[b] ?? ''] = b;
  vocab['<s>'] = BOS;
  vocab['</s>'] = EOS;
  extraTokens(variant).forEach((t, i) => (vocab[byteLevel(t, map)] = OPEN + i));
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(BOS, '<s>'), special(EOS, '</s>')],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}

const CHAT_TEMPLATE =
  "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}";

function modelFiles(variant: Variant, withKv: boolean, window: number, dense?: DenseStack): Record<string, string | Uint8Array> {
  const config = {
    model_type: 'llama',
    architectures: ['LlamaForCausalLM'],
    vocab_size: vocabSize(variant),
    hidden_size: KV_DIM,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    num_key_value_heads: 1,
    max_position_embeddings: window,
    bos_token_id: BOS,
    eos_token_id: EOS,
    use_cache: withKv,
  };
  const generation = { bos_token_id: BOS, eos_token_id: EOS, do_sample: false, max_new_tokens: 24 };
  const tokenizerConfig = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: '<s>',
    eos_token: '</s>',
    add_bos_token: false,
    add_eos_token: false,
    model_max_length: window,
    chat_template: CHAT_TEMPLATE,
  };
  const json = (v: object) => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'config.json': json(config),
    'generation_config.json': json(generation),
    'tokenizer.json': json(tokenizerJson(variant)),
    'tokenizer_config.json': json(tokenizerConfig),
    'onnx/model.onnx': buildModel(variant, withKv, dense),
  };
}

function writeIfChanged(path: string, content: string | Uint8Array): boolean {
  const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
  if (existsSync(path) && createHash('sha256').update(readFileSync(path)).digest('hex') === createHash('sha256').update(bytes).digest('hex')) {
    return false;
  }
  mkdirSync(dirname(path), { recursive: true });
  // Write then rename: test files that run in parallel may read the model while another regenerates it.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return true;
}

/** id: [output, KV cache inputs, context window]. tiny-critic-2k has a window small enough for tests to fill (one token per byte). */
export const TINY_MODELS = {
  'tiny-critic': ['approve', false, 65536],
  'tiny-critic-kv': ['approve', true, 65536],
  'tiny-critic-babble': ['babble', false, 65536],
  'tiny-critic-2k': ['approve', true, 2048],
  'tiny-critic-revise': ['revise', true, 65536],
} as const;

export function makeTinyModels(root = ROOT): { written: number } {
  let written = 0;
  for (const [id, [variant, kv, window]] of Object.entries(TINY_MODELS)) {
    for (const [name, content] of Object.entries(modelFiles(variant, kv, window))) {
      if (writeIfChanged(join(root, '.fixtures/models', id, name), content)) written++;
    }
    // Older versions of this script also wrote into public/, which Vite copies into dist/: clear those copies.
    rmSync(join(root, 'public/models', id), { recursive: true, force: true });
  }
  rmSync(join(root, 'public/ort'), { recursive: true, force: true });
  return { written };
}

/**
 * The bench's model with real per-token prefill compute (see tiny-critic-prefill
 * above): H=1024, 3 layers, about 15 MB. Generated on demand, not by `npm run fixtures`.
 */
export const PREFILL_MODEL = { id: 'tiny-critic-prefill', dense: { hidden: 1024, layers: 3 } } as const;

export function makePrefillModel(root = ROOT, dense: DenseStack = PREFILL_MODEL.dense, id: string = PREFILL_MODEL.id): { written: number } {
  let written = 0;
  for (const [name, content] of Object.entries(modelFiles('approve', true, 65536, dense))) {
    if (writeIfChanged(join(root, '.fixtures/models', id, name), content)) written++;
  }
  return { written };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const { written } = makeTinyModels();
  console.log(`tiny models: ${written} file(s) written in ${Math.round(performance.now() - t0)} ms`);
}
