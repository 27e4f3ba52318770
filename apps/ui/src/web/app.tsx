import { createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { ApiError, errorText, loadMe, type Me, request } from './api.ts';
import { DocumentsView } from './views/documents.tsx';
import { LabelsView } from './views/labels.tsx';
import { LimitsView } from './views/limits.tsx';
import { PinsView } from './views/pins.tsx';
import { ProbeView } from './views/probe.tsx';
import { RequestsView } from './views/requests.tsx';
import { SettingsView } from './views/settings.tsx';
import { TokensView } from './views/tokens.tsx';
import { TrainingView } from './views/training.tsx';
import { UsageView } from './views/usage.tsx';

/** The views; `admin` ones are offered to admins only (the API refuses everyone else anyway). */
const VIEWS = [
  { path: '/tokens', title: 'Tokens', admin: false },
  { path: '/requests', title: 'Requests', admin: false },
  { path: '/labels', title: 'Labels', admin: true },
  { path: '/documents', title: 'Documents', admin: true },
  { path: '/training', title: 'Training', admin: true },
  { path: '/probe', title: 'Probe', admin: false },
  { path: '/usage', title: 'Usage', admin: true },
  { path: '/limits', title: 'Limits', admin: true },
  { path: '/settings', title: 'Settings', admin: true },
  { path: '/pins', title: 'Pins', admin: true },
] as const;

const currentPath = () => (VIEWS.some((v) => v.path === location.pathname) ? location.pathname : '/tokens');
const allowed = (path: string, me: Me) => VIEWS.some((v) => v.path === path && (!v.admin || me.admin));

export function App() {
  const [me, setMe] = createSignal<Me>();
  const [signIn, setSignIn] = createSignal<{ message: string; url?: string }>();
  const [path, setPath] = createSignal(currentPath());
  const [menuOpen, setMenuOpen] = createSignal(false);

  onMount(async () => {
    window.addEventListener('popstate', () => setPath(currentPath()));
    try {
      setMe(await loadMe());
    } catch (error) {
      setSignIn({ message: errorText(error), url: error instanceof ApiError ? error.signInUrl : undefined });
    }
  });

  const go = (to: string, event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (to !== path()) history.pushState(null, '', to);
    setPath(to);
    setMenuOpen(false);
    // Move focus to the new page's heading so keyboard and screen-reader users land on it.
    queueMicrotask(() => document.getElementById('page-title')?.focus());
  };

  const signOut = async () => {
    await request('POST', '/api/session/logout').catch(() => undefined);
    location.href = '/';
  };

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Show
        when={me()}
        fallback={
          <main id="main" class="signin">
            <h1>split-brain console</h1>
            <Show when={signIn()} fallback={<p role="status">Loading…</p>}>
              {(s) => (
                <>
                  <p role="alert">{s().message}</p>
                  <Show when={s().url}>
                    {(url) => (
                      <a class="button primary" href={url()}>
                        Sign in with Google
                      </a>
                    )}
                  </Show>
                </>
              )}
            </Show>
          </main>
        }
      >
        {(user) => (
          <div class="shell">
            <header class="topbar">
              <button
                type="button"
                class="menu-toggle"
                aria-expanded={menuOpen()}
                aria-controls="nav"
                onClick={() => setMenuOpen(!menuOpen())}
              >
                Menu
              </button>
              <span class="brand">split-brain</span>
              <span class="who">
                {user().email}
                {user().admin ? ' (admin)' : ''}
                {user().devMode ? ' · dev mode' : ''}
              </span>
              <Show when={user().via === 'google'}>
                <button type="button" class="link" onClick={signOut}>
                  Sign out
                </button>
              </Show>
            </header>
            <nav id="nav" class="nav" classList={{ open: menuOpen() }} aria-label="Views">
              <ul>
                <For each={VIEWS.filter((v) => !v.admin || user().admin)}>
                  {(v) => (
                    <li>
                      <a
                        href={v.path}
                        aria-current={path() === v.path ? 'page' : undefined}
                        onClick={(e) => go(v.path, e)}
                      >
                        {v.title}
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </nav>
            <main id="main" class="content">
              <Switch>
                <Match when={!allowed(path(), user())}>
                  <section class="page" aria-labelledby="page-title">
                    <h1 id="page-title" tabindex="-1">
                      Not for your account
                    </h1>
                    <p role="alert">This view needs an admin (ADMIN_EMAILS). Your views are in the menu.</p>
                  </section>
                </Match>
                <Match when={path() === '/tokens'}>
                  <TokensView me={user()} />
                </Match>
                <Match when={path() === '/requests'}>
                  <RequestsView me={user()} />
                </Match>
                <Match when={path() === '/labels'}>
                  <LabelsView />
                </Match>
                <Match when={path() === '/documents'}>
                  <DocumentsView me={user()} />
                </Match>
                <Match when={path() === '/training'}>
                  <TrainingView />
                </Match>
                <Match when={path() === '/probe'}>
                  <ProbeView />
                </Match>
                <Match when={path() === '/usage'}>
                  <UsageView />
                </Match>
                <Match when={path() === '/limits'}>
                  <LimitsView />
                </Match>
                <Match when={path() === '/settings'}>
                  <SettingsView />
                </Match>
                <Match when={path() === '/pins'}>
                  <PinsView />
                </Match>
              </Switch>
            </main>
          </div>
        )}
      </Show>
    </>
  );
}
