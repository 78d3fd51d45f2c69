/**
 * Files opened in the playground (`?profile=…&gctrace=…`, or dropped on the page) become the frames a
 * data source would return: pprof bytes as base64 in a string field, folded stacks and plain gctrace as
 * text, gctrace JSON lines ({ts_ns, line}) as a Loki log frame.
 */
import { createDataFrame, DataFrame, FieldType } from '@grafana/data';

interface LoadedFile {
  name: string;
  bytes: Uint8Array;
}

const isGzip = (b: Uint8Array) => b.length > 1 && b[0] === 0x1f && b[1] === 0x8b;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** Text files are mostly printable; a pprof proto is not. */
function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (b[i] < 9 || (b[i] > 13 && b[i] < 32)) {
      odd++;
    }
  }
  return odd > n / 20;
}

function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) {
    s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

export class FileInput {
  constructor(
    readonly profile: LoadedFile | undefined,
    readonly gctrace: LoadedFile | undefined,
    readonly span: { fromMs: number; toMs: number }
  ) {}

  get key(): string {
    return `${this.profile?.name ?? ''}|${this.gctrace?.name ?? ''}`;
  }

  static async fromUrl(params: URLSearchParams): Promise<FileInput | null> {
    const get = async (path: string | null): Promise<LoadedFile | undefined> => {
      if (!path) {
        return undefined;
      }
      const res = await fetch(`/files/${path.split('/').map(encodeURIComponent).join('/')}`);
      if (!res.ok) {
        throw new Error(`Cannot open ${path}: HTTP ${res.status}`);
      }
      return { name: path, bytes: new Uint8Array(await res.arrayBuffer()) };
    };
    const profile = await get(params.get('profile'));
    const gctrace = await get(params.get('gctrace'));
    return profile || gctrace ? FileInput.of(profile, gctrace) : null;
  }

  static async fromFiles(files: File[]): Promise<FileInput> {
    let profile: LoadedFile | undefined;
    let gctrace: LoadedFile | undefined;
    for (const file of files) {
      const loaded = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
      const isTrace = !isGzip(loaded.bytes) && !looksBinary(loaded.bytes) && /\bgc \d+ @/.test(text(loaded.bytes.subarray(0, 1 << 20)));
      if (isTrace) {
        gctrace = loaded;
      } else {
        profile = loaded;
      }
    }
    return FileInput.of(profile, gctrace);
  }

  private static of(profile?: LoadedFile, gctrace?: LoadedFile): FileInput {
    const now = Date.now();
    let span = { fromMs: now - 3600_000, toMs: now };
    if (gctrace) {
      const t = text(gctrace.bytes);
      const stamps = [...t.matchAll(/"ts_ns":\s*(\d+)/g)].map((m) => Number(m[1]) / 1e6);
      if (stamps.length) {
        span = { fromMs: Math.min(...stamps), toMs: Math.max(...stamps) };
      } else {
        // Plain gctrace has only seconds since start: show the run as ending now.
        const since = [...t.matchAll(/\bgc \d+ @([\d.]+)s/g)].map((m) => Number(m[1]));
        const last = since.length ? since[since.length - 1] : 3600;
        span = { fromMs: now - last * 1000, toMs: now };
      }
    }
    return new FileInput(profile, gctrace, span);
  }
}

export function fileFrames(input: FileInput): DataFrame[] {
  const frames: DataFrame[] = [];
  if (input.profile) {
    const b = input.profile.bytes;
    const binary = isGzip(b) || looksBinary(b);
    frames.push(
      createDataFrame({
        refId: 'A',
        name: input.profile.name,
        fields: [{ name: binary ? 'profile' : 'folded', type: FieldType.string, values: [binary ? base64(b) : text(b)] }],
      })
    );
  }
  if (input.gctrace) {
    const lines = text(input.gctrace.bytes).split(/\r?\n/).filter((l) => l.length > 0);
    const json = lines.length > 0 && lines[0].startsWith('{');
    if (json) {
      const rows = lines.map((l) => {
        try {
          const o = JSON.parse(l) as { ts_ns?: number; line?: string };
          return { timeMs: Number(o.ts_ns) / 1e6, line: String(o.line ?? '') };
        } catch {
          return { timeMs: input.span.fromMs, line: l };
        }
      });
      frames.push(
        createDataFrame({
          refId: 'B',
          meta: { type: 'log-lines' as never },
          fields: [
            { name: 'labels', type: FieldType.other, values: rows.map(() => ({ service_name: input.gctrace!.name })) },
            { name: 'timestamp', type: FieldType.time, values: rows.map((r) => r.timeMs) },
            { name: 'body', type: FieldType.string, values: rows.map((r) => r.line) },
          ],
        })
      );
    } else {
      frames.push(
        createDataFrame({ refId: 'B', name: input.gctrace.name, fields: [{ name: 'Line', type: FieldType.string, values: lines }] })
      );
    }
  }
  return frames;
}
