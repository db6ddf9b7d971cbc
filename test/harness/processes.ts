/** The processes of this machine as the tests and benchmarks see them (Linux: ps and /proc). */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Every process descended from `pid` (children, theirs, …), from `ps`. */
export function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [child, ppid] of rows) {
      if (ppid !== parent || child === undefined) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** The command line of process `pid` (empty when it is gone). */
export function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Whether process `pid` still exists (a zombie counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return state !== '' && !state.startsWith('Z');
  } catch {
    return false;
  }
}

/** The processes whose environment holds `name=value` (Linux: /proc/<pid>/environ). */
export function processesWith(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(wanted);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isRunning);
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The CPU time (user + system, seconds) each process of the tree under `pid` (itself included) has used. */
export function cpuSecondsOfTree(pid: number): Map<number, number> {
  const used = new Map<number, number>();
  for (const each of [pid, ...descendants(pid)]) {
    try {
      // Fields after the command (which may hold spaces, inside parentheses): utime and stime are 14 and 15.
      const fields = readFileSync(`/proc/${each}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      used.set(each, (Number(fields[11]) + Number(fields[12])) / clockTicks);
    } catch {
      // Gone meanwhile.
    }
  }
  return used;
}

/** The CPU time (seconds) every core of the machine has spent busy since boot (/proc/stat: all but idle and iowait). */
export function machineBusySeconds(): number {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const values = ticks.map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  return (total - (values[3] ?? 0) - (values[4] ?? 0)) / clockTicks;
}
