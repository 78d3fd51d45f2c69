/**
 * `npm run -s profile:top -- FILE [--sample-index NAME]`: pprof's top table, one row per function
 * (`flat<TAB>cum<TAB>name`, base units, flat descending), then `total<TAB>N`. The panel's decoder; the
 * table comes straight from the samples, which the oracle tests hold to the same rows as the panel's.
 */
import { readFileSync } from 'node:fs';
import { decodePprof, ProfileDecodeError } from '../src/sources/pprof';
import { formatTop, topTableOfSamples } from '../src/transforms/top';

function main(argv: string[]): number {
  let file: string | undefined;
  let sampleIndex: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sample-index' || a === '-sample_index') {
      sampleIndex = argv[++i];
    } else if (a.startsWith('--sample-index=')) {
      sampleIndex = a.slice('--sample-index='.length);
    } else if (!file) {
      file = a;
    } else {
      process.stderr.write(`unexpected argument ${a}\n`);
      return 2;
    }
  }
  if (!file || sampleIndex === '') {
    process.stderr.write('usage: profile-top FILE [--sample-index NAME]\n');
    return 2;
  }
  try {
    // The top table never filters by label: skip decoding them.
    const profile = decodePprof(readFileSync(file), { labels: false });
    const sampleType = sampleIndex !== undefined && /^\d+$/.test(sampleIndex) ? Number(sampleIndex) : sampleIndex;
    process.stdout.write(formatTop(topTableOfSamples(profile.samples, { sampleType })));
    return 0;
  } catch (e) {
    const msg =
      e instanceof ProfileDecodeError
        ? `${file}: ${e.code}: ${e.message}`
        : `${file}: ${e instanceof Error ? e.message : e}`;
    process.stderr.write(msg + '\n');
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
