import { defineConfig } from 'vitest/config';

/** Unit tests only, without the emulator: `npx vitest run --config vitest.unit.config.ts`. */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
