import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import {
  classifierEnvSchema,
  routerEnvSchema,
  secretEnvNames,
  uiEnvSchema,
} from '../libs/config/src/index.ts';
import { goldenFile } from './helm.ts';
import { apps as chartApps, DATA_ROOT, SECRET_VARIABLES } from './model/components.ts';
import { type Field, leavesOf } from './model/fields.ts';
import { ENVIRONMENTS } from './model/overlays.ts';
import { find, type K8sObject, parseManifests, ROOT } from './testing/render.ts';
import { freePort } from '../libs/http/src/index.ts';

/**
 * The contract between the chart and the apps: for each app, the environment the rendered manifests give
 * its container must be one its config schema accepts (every variable known, every required one set),
 * and the app started with that environment (ports, data folders, probe paths) must answer its probes.
 * An app whose entrypoint does not exist yet is skipped, not passed.
 */

type AppName = 'router' | 'classifier' | 'ui';
interface EnvSchema {
  shape: object;
  safeParse(input: unknown): { success: true } | { success: false; error: { issues: unknown[] } };
}
const schemas: Record<AppName, EnvSchema> = {
  router: routerEnvSchema,
  classifier: classifierEnvSchema,
  ui: uiEnvSchema,
};
const entrypoints: Record<AppName, string> = JSON.parse(
  readFileSync(join(ROOT, 'package.json'), 'utf8'),
).scripts;

function entrypoint(app: AppName): string | undefined {
  const script = (entrypoints as Record<string, string>)[`start:${app}`];
  const file = script?.replace(/^bun\s+/, '');
  return file && existsSync(join(ROOT, file)) ? file : undefined;
}

/** The environment a container gets: its ConfigMaps (envFrom), literals, Secret keys and pod fields. */
function containerEnv(objects: K8sObject[], app: AppName): Record<string, string> {
  const container = find(objects, 'Deployment', `split-brain-${app}`).spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    Object.assign(env, find(objects, 'ConfigMap', source.configMapRef.name).data);
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef) env[e.name] = `${app}-pod-0`;
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === ref.name);
      if (secret) env[e.name] = secret.stringData[ref.key];
      else if (!ref.optional)
        throw new Error(`${app}: ${e.name} reads Secret ${ref.name}, which is not rendered`);
    }
  }
  return env;
}

const objects = parseManifests(readFileSync(goldenFile(ROOT, 'prod'), 'utf8'));
const apps: AppName[] = ['classifier', 'router', 'ui'];

describe('contract: manifests and config schemas', () => {
  for (const [overlay, app] of ENVIRONMENTS.flatMap((e) => apps.map((a) => [e, a] as const))) {
    test(`${app} (${overlay}): every variable the manifests set is known to its schema, which accepts them`, () => {
      const objects = parseManifests(readFileSync(goldenFile(ROOT, overlay), 'utf8'));
      const env = containerEnv(objects, app);
      const known = Object.keys(schemas[app].shape);
      expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
      const parsed = schemas[app].safeParse(env);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
      const container = find(objects, 'Deployment', `split-brain-${app}`).spec.template.spec.containers[0];
      expect(String(container.ports[0].containerPort)).toBe(env.PORT!);
    });
  }

  /**
   * Variables an app reads that the chart's values do not expose, each for a reason: the templates set
   * them, or the app's default is the one a pod needs. Anything else an app adds must become a typed
   * value (a config field with `env`) or a secret, or be named here with its reason.
   */
  const notValues: Record<AppName, Record<string, string>> = {
    router: {
      PORT: 'the templates set it (the container port)',
      HOST: 'the default 0.0.0.0 is what a pod needs',
      SPLIT_BRAIN_DATA_DIR: 'the templates set it (the PVC mount)',
      POD_NAME: 'the templates set it from the pod name',
      CLASSIFIER_URL: 'the templates set it (the classifier Service)',
    },
    classifier: {
      PORT: 'the templates set it (the container port)',
      HOST: 'the default 0.0.0.0 is what a pod needs',
      SPLIT_BRAIN_DATA_DIR: 'the templates set it (the PVC mount)',
    },
    ui: {
      PORT: 'the templates set it (the container port)',
      HOST: 'the default 0.0.0.0 is what a pod needs',
      SPLIT_BRAIN_DATA_DIR: 'the templates set it (the PVC mount)',
      CLASSIFIER_URL: 'the templates set it (the classifier Service)',
      UI_DEV_MODE: 'refused in a cluster: the UI never runs without sign-in there',
      UI_STATIC_DIR: 'the image sets it to where it put the built app',
    },
  };
  const configFields = (app: AppName) => {
    const config = chartApps.find((a) => a.component === app)!.values.fields.config!;
    return config.kind === 'object' ? leavesOf(config).filter((leaf) => leaf.field.env) : [];
  };

  for (const app of apps) {
    test(`${app}: every variable its schema reads is a chart value, a secret, or set by the templates`, () => {
      const exposed = new Set<string>([
        ...configFields(app).map((leaf) => leaf.field.env!),
        ...SECRET_VARIABLES,
        ...Object.keys(notValues[app]),
      ]);
      expect(Object.keys(schemas[app].shape).filter((name) => !exposed.has(name))).toEqual([]);
    });

    test(`${app}: each numeric chart value's bounds are its schema's bounds`, () => {
      const shape = schemas[app].shape as Record<string, EnvSchema>;
      const accepts = (env: string, n: number) => shape[env]!.safeParse(String(n)).success;
      for (const { path, field } of configFields(app)) {
        if (field.kind !== 'integer' && field.kind !== 'number') continue;
        const step = field.kind === 'integer' ? 1 : 0.001;
        const env = field.env!;
        const bounds = (f: Field & { minimum?: number; maximum?: number }) => ({
          path,
          minimum: f.minimum,
          maximum: f.maximum,
          minimumAccepted: f.minimum === undefined || accepts(env, f.minimum),
          belowMinimumRefused: f.minimum === undefined || !accepts(env, f.minimum - step),
          maximumAccepted: f.maximum === undefined || accepts(env, f.maximum),
          aboveMaximumRefused:
            f.maximum === undefined ? !accepts(env, 2 ** 53) : !accepts(env, f.maximum + step),
        });
        expect(bounds(field)).toEqual({
          path,
          minimum: field.minimum,
          maximum: field.maximum,
          minimumAccepted: true,
          belowMinimumRefused: true,
          maximumAccepted: true,
          aboveMaximumRefused: true,
        });
      }
    });
  }

  test("the chart's secret variables include every one the apps declare", () => {
    for (const names of Object.values(secretEnvNames)) {
      for (const name of names) expect(SECRET_VARIABLES as readonly string[]).toContain(name);
    }
  });
});

const running: Subprocess[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'sb-contract-'));
afterAll(() => {
  for (const p of running) p.kill();
  rmSync(scratch, { recursive: true, force: true });
});

/** The data folder as the pod sees it, made of temp folders: the mounts become real directories. */
function dataDirFor(app: AppName): string {
  const dir = join(scratch, app, 'data');
  const spec = find(objects, 'Deployment', `split-brain-${app}`).spec.template.spec;
  for (const mount of spec.containers[0].volumeMounts) {
    if (mount.name === 'data')
      mkdirSync(join(dir, mount.mountPath.slice(DATA_ROOT.length)), { recursive: true });
  }
  return dir;
}

async function waitFor(url: string, deadline: number): Promise<number> {
  let last = 0;
  while (Date.now() < deadline) {
    last = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (last === 200) return last;
    await Bun.sleep(200);
  }
  return last;
}

const ports: Partial<Record<AppName, number>> = {};

describe('contract: apps started with the rendered environment answer their probes', () => {
  for (const app of apps) {
    test.skipIf(entrypoint(app) === undefined)(
      `${app} answers its liveness and readiness probes`,
      async () => {
        const env = containerEnv(objects, app);
        const port = await freePort();
        ports[app] = port;
        env.PORT = String(port);
        env.SPLIT_BRAIN_DATA_DIR = dataDirFor(app);
        if (env.CLASSIFIER_URL && ports.classifier)
          env.CLASSIFIER_URL = `http://127.0.0.1:${ports.classifier}`;
        if (app === 'classifier' && !existsSync(env.CLASSIFIER_MODEL_DIR ?? '')) {
          // The image bakes the model in; a machine without it runs the keyword classifier instead.
          env.CLASSIFIER_MODEL_KIND = 'keywords';
        }
        const proc = Bun.spawn(['bun', entrypoint(app)!], {
          cwd: ROOT,
          env: { PATH: process.env.PATH, HOME: scratch, ...env },
          stdout: 'pipe',
          stderr: 'pipe',
        });
        running.push(proc);
        const container = find(objects, 'Deployment', `split-brain-${app}`).spec.template.spec.containers[0];
        const deadline = Date.now() + 60_000;
        for (const probe of [container.livenessProbe, container.readinessProbe]) {
          expect(await waitFor(`http://127.0.0.1:${port}${probe.httpGet.path}`, deadline)).toBe(200);
        }
      },
      90_000,
    );
  }
});
