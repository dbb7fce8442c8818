// How much garbage V8 may keep before collecting: a run holds little, and makes it fast.
import { setFlagsFromString } from 'node:v8';

/**
 * A run keeps about 30 MB alive (code, datasets, the requests in flight) but allocates about 160 KB per item; V8 lets
 * the old generation grow to up to four times what the last full collection kept before collecting again, and at
 * 100,000 items that was 80 MB of garbage, a peak of 220–240 MB RSS. Growing 2.5 times instead peaks under 200 MB,
 * for at most about 2% more CPU (more full collections of a small heap): `npm run bench`, runners/README.md. V8 reads
 * the factor at each collection, so setting it once the process runs takes effect.
 */
export function keepHeapSmall(): void {
  setFlagsFromString('--heap-growing-percent=150');
}
