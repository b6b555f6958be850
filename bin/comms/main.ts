import { InputError, UsageError } from './cli-io.ts';
import { DRY_RUN_USAGE, dryRunCommand } from './dry-run-command.ts';
import { FIRE_USAGE, fireCommand } from './fire-command.ts';
import { PREVIEW_USAGE, previewCommand } from './preview-command.ts';
import { ROSTER_USAGE, rosterCommand } from './roster-command.ts';
import { TONE_USAGE, toneCommand } from './tone-command.ts';

export const USAGE = `Usage: comms <command> …   (the handbook's incident comms rules, from the command line)

${ROSTER_USAGE}
${TONE_USAGE}
${PREVIEW_USAGE}
${DRY_RUN_USAGE}
${FIRE_USAGE}

Exit codes: 0 fine · 1 findings, invalid input or not available · 2 wrong usage`;

/** Runs one command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'roster':
        return await rosterCommand(args);
      case 'tone':
        return toneCommand(args);
      case 'preview':
        return previewCommand(args);
      case 'dry-run':
        return dryRunCommand(args);
      case 'fire':
        return await fireCommand(args);
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      case undefined:
        console.error(USAGE);
        return 2;
      default:
        throw new UsageError(
          `comms: unknown command "${command}" (commands: roster, tone, preview, dry-run, fire, help)`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\nRun "comms help" for usage.`);
      return 2;
    }
    if (error instanceof InputError) {
      console.error(`✗ ${error.message}`);
      return 1;
    }
    throw error;
  }
}
