import { runCli } from './run.ts';

/**
 * `npm run cli -- <command>`: the admin command line for IT staff, on a browser-mode data directory
 * (GREENLEDGER_DATA_DIR or --data-dir). See run.ts for the commands, `--help` for their use.
 */
const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
