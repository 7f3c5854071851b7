import { readFileSync } from 'node:fs';
import type { Measurement, Summary } from './report.js';

/** Where `npm run bench` writes unless told otherwise: the committed results README.md's table is generated from. */
export const RESULTS_DIR = 'bench/results';
export const RESULTS_FILE = `${RESULTS_DIR}/results.json`;

/** What results.json holds. */
export interface BenchResults {
  /** The day of the run, YYYY-MM-DD. */
  date: string;
  /** Cores, CPU model and memory of the machine that ran everything (gateways, subgraphs, load, issuer). */
  machine: string;
  /** The Node versions measured, in order; absent in results from before it was recorded (then read off the measurements). */
  nodes?: string[];
  /** The commit measured, `+changes` when the working tree differed from it; absent when unknown. */
  commit?: string;
  settings: { rounds: number; seconds: number; warmup: number; connections: number };
  measurements: Measurement[];
  summary: Summary[];
}

/** Reads a results.json. */
export function readResults(file = RESULTS_FILE): BenchResults {
  return JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
}

/** The Node versions of `results`, in the order they were measured. */
export function nodesOf(results: Pick<BenchResults, 'nodes' | 'measurements'>): string[] {
  return results.nodes ?? [...new Set(results.measurements.map((m) => m.node))];
}
