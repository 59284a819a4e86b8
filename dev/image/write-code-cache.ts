// Run inside an image build (dev/image/Dockerfile.prebuilt), bundled into the build's context by build-image.ts:
// writes the function's V8 code cache with the image's own Node, where the function runs (/app). The cache the host's
// build wrote was made by the host's Node, which another Node rejects (the function would compile everything at each
// cold start), and it names the host's folder in stack traces. The same rehearsal as the build's (no real service
// reached): dev/function-loader.ts's, bundled in, so the two cannot drift apart.
import { writeCodeCache } from '../function-loader';

const dir = process.argv[2] ?? '/app';
writeCodeCache(dir, { ...process.env, ECOM_CODE_CACHE_REPORT: '1' }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
