import { loadConfig, ConfigError } from './config.js';
import { serve } from './serve.js';

try {
  await serve(loadConfig(), { demoIfEmpty: process.argv.includes('--demo-if-empty') });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}
