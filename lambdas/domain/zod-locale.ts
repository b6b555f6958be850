/**
 * zod's English messages, which classic zod loaded by itself and zod/mini does not: without them every
 * issue says only "Invalid input". The webhook's 400 body and a thrown parse error quote zod's message, so
 * every module that builds schemas imports this once; the locale is a few KB where all of them are ~400.
 * The configuration is zod's own, set once at load and the same in every module: nothing here varies.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
