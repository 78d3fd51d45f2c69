/**
 * The playground host page: plays Grafana's part for the built plugin.
 *
 * It supplies the shared modules Grafana supplies (react, @grafana/*, rxjs, lodash, @emotion/css),
 * loads dist/module.js through SystemJS, and renders the panel with real PanelProps: a theme, a
 * time range picker, a `service` variable driven through locationService, and a data source
 * (registered with setDataSourceSrv) that answers profile and log queries from the fixtures.
 */
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import lodash from 'lodash';
import * as emotionCss from '@emotion/css';
import * as rxjs from 'rxjs';
import * as grafanaData from '@grafana/data';
import {
  createTheme,
  dateTime,
  EventBusSrv,
  LoadingState,
  PanelData,
  PanelPlugin,
  PanelProps,
  TimeRange,
} from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import { locationService, setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { GlobalStyles, InlineField, RadioButtonGroup, Select, ThemeContext, TimeRangePicker } from '@grafana/ui';

import { FixtureDataSource, playgroundQueries } from './fixtureDataSource';
import { fileFrames, FileInput } from './fileFrames';
import { PlaygroundDataSourceSrv, PlaygroundTemplateSrv } from './services';

interface SystemJSLoader {
  set(id: string, module: object): void;
  import(id: string): Promise<Record<string, unknown>>;
  addImportMap(map: { imports: Record<string, string> }): void;
}
declare const System: SystemJSLoader;

/** The modules Grafana hands to plugins instead of letting them bundle their own. */
function shareHostModules() {
  const shared: Record<string, unknown> = {
    react: React,
    'react-dom': ReactDOM,
    'react/jsx-runtime': jsxRuntime,
    '@grafana/data': grafanaData,
    '@grafana/ui': grafanaUi,
    '@grafana/runtime': grafanaRuntime,
    '@emotion/css': emotionCss,
    rxjs,
    lodash,
  };
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(shared)) {
    const id = `app:${name}`;
    // AMD dependencies receive `default` when `__useDefault` is set, i.e. the module itself.
    System.set(id, { default: module, __useDefault: true });
    imports[name] = id;
  }
  System.addImportMap({ imports });
}

const params = new URLSearchParams(window.location.search);
const SERVICE_VAR = 'var-service';
const ALL = '$__all';

function rangeOf(fromMs: number, toMs: number): TimeRange {
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return { from, to, raw: { from, to } };
}

interface HostProps {
  plugin: PanelPlugin;
  ds: FixtureDataSource;
  files: FileInput | null;
}

function Host({ plugin, ds, files }: HostProps) {
  const [mode, setMode] = useState<'dark' | 'light'>(params.get('theme') === 'light' ? 'light' : 'dark');
  const theme = useMemo(() => createTheme({ colors: { mode } }), [mode]);
  const span = files?.span ?? ds.span();
  const [timeRange, setTimeRange] = useState<TimeRange>(() =>
    rangeOf(Number(params.get('from')) || span.fromMs, Number(params.get('to')) || span.toMs)
  );
  const [service, setService] = useState<string>(
    () => locationService.getSearchObject()[SERVICE_VAR]?.toString() ?? ds.services()[0]
  );
  const [options, setOptions] = useState(() => {
    const saved = params.get('options');
    const migrate = plugin.onPanelMigration;
    const base = saved ? JSON.parse(saved) : {};
    return migrate ? migrate({ id: 1, type: plugin.meta.id, options: base, fieldConfig: { defaults: {}, overrides: [] } }) : base;
  });
  const [data, setData] = useState<PanelData | null>(null);
  const eventBus = useMemo(() => new EventBusSrv(), []);
  const [size, setSize] = useState({ width: window.innerWidth - 32, height: window.innerHeight - 96 });

  useEffect(() => {
    const onResize = () => setSize({ width: window.innerWidth - 32, height: window.innerHeight - 96 });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  // The panel changes the variable through locationService, as it does inside Grafana.
  useEffect(() => {
    const history = locationService.getHistory();
    return history.listen(() => {
      const value = locationService.getSearchObject()[SERVICE_VAR];
      setService(value === undefined ? ds.services()[0] : String(value));
    });
  }, [ds]);

  const replaceVariables = useCallback(
    (text: string) => text.replace(/\$\{service(?::[a-z]+)?\}|\$service\b/g, service === ALL ? '.+' : service),
    [service]
  );

  useEffect(() => {
    let cancelled = false;
    const request = ds.request(playgroundQueries, timeRange, replaceVariables);
    const run = files ? Promise.resolve({ data: fileFrames(files) }) : ds.query(request);
    run.then(
      (response) => {
        if (!cancelled) {
          setData({ state: LoadingState.Done, series: response.data, timeRange, request });
        }
      },
      (error: Error) => {
        if (!cancelled) {
          setData({ state: LoadingState.Error, series: [], timeRange, request, errors: [{ message: error.message }] });
        }
      }
    );
    return () => {
      cancelled = true;
    };
  }, [ds, files, timeRange, replaceVariables]);

  const Panel = plugin.panel as React.ComponentType<PanelProps>;
  const shift = (sign: number) => {
    const d = (timeRange.to.valueOf() - timeRange.from.valueOf()) / 2;
    setTimeRange(rangeOf(timeRange.from.valueOf() + sign * d, timeRange.to.valueOf() + sign * d));
  };
  const serviceOptions = [{ label: 'All', value: ALL }, ...ds.services().map((s) => ({ label: s, value: s }))];

  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div style={{ padding: 16, background: theme.colors.background.canvas, minHeight: '100%', boxSizing: 'border-box' }}>
        <div style={{ display: 'flex', gap: 16, alignItems: 'center', marginBottom: 8, flexWrap: 'wrap' }}>
          <strong>Go Flame Graph &amp; GC Trace · playground</strong>
          {!files && (
            <InlineField label="service">
              <Select
                aria-label="service variable"
                width={20}
                options={serviceOptions}
                value={service}
                onChange={(v) => locationService.partial({ [SERVICE_VAR]: v.value }, true)}
              />
            </InlineField>
          )}
          <RadioButtonGroup
            options={[
              { label: 'Dark', value: 'dark' },
              { label: 'Light', value: 'light' },
            ]}
            value={mode}
            onChange={setMode}
          />
          <span
            data-testid="host-time-range"
            data-from={timeRange.from.valueOf()}
            data-to={timeRange.to.valueOf()}
            style={{ marginLeft: 'auto' }}
          >
            <TimeRangePicker
              value={timeRange}
              timeZone="utc"
              onChange={setTimeRange}
              onChangeTimeZone={() => undefined}
              onMoveBackward={() => shift(-1)}
              onMoveForward={() => shift(1)}
              onZoom={() => {
                const d = (timeRange.to.valueOf() - timeRange.from.valueOf()) / 2;
                setTimeRange(rangeOf(timeRange.from.valueOf() - d, timeRange.to.valueOf() + d));
              }}
            />
          </span>
        </div>
        {data && (
          <div style={{ border: `1px solid ${theme.colors.border.weak}`, background: theme.colors.background.primary }}>
            <Panel
              id={1}
              title="Go incident"
              data={data}
              timeRange={data.timeRange}
              timeZone="utc"
              options={options}
              onOptionsChange={setOptions}
              fieldConfig={{ defaults: {}, overrides: [] }}
              onFieldConfigChange={() => undefined}
              replaceVariables={replaceVariables}
              onChangeTimeRange={({ from, to }) => setTimeRange(rangeOf(from, to))}
              eventBus={eventBus}
              width={size.width}
              height={size.height}
              transparent={false}
              renderCounter={0}
            />
          </div>
        )}
      </div>
    </ThemeContext.Provider>
  );
}

async function main() {
  shareHostModules();
  const ds = await FixtureDataSource.load('/fixtures/');
  setDataSourceSrv(new PlaygroundDataSourceSrv(ds));
  const files = await FileInput.fromUrl(params);
  setTemplateSrv(new PlaygroundTemplateSrv(ds, files === null));
  const module = await System.import('/public/plugins/goperf-flamegc-panel/module.js');
  const plugin = module.plugin as PanelPlugin;
  // Grafana sets a plugin's meta from its plugin.json before rendering it.
  plugin.meta = await (await fetch('/public/plugins/goperf-flamegc-panel/plugin.json')).json();
  const root = createRoot(document.getElementById('root')!);
  const render = (input: FileInput | null) => root.render(<Host key={input?.key ?? 'fixtures'} plugin={plugin} ds={ds} files={input} />);
  render(files);
  // Dropping a pprof, folded-stacks or gctrace file opens it in the panel.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', async (e) => {
    e.preventDefault();
    const dropped = e.dataTransfer?.files;
    if (dropped?.length) {
      const input = await FileInput.fromFiles(Array.from(dropped));
      setTemplateSrv(new PlaygroundTemplateSrv(ds, false));
      render(input);
    }
  });
}

main().catch((error: Error) => {
  document.body.textContent = `Playground failed to start: ${error.message}`;
});
