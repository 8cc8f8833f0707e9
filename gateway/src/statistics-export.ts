import { AuthenticationError, hasRole, Role, type Identity, type TokenVerifier } from '@sodertorn/auth';
import { todayInStockholm, type Logger } from '@sodertorn/service-kit';
import type { Express, Response } from 'express';
import { randomUUID } from 'node:crypto';

/**
 * The stable columns of the flat statistics export (tidy long format, one row
 * per cell or total). Documented in README ("Statistics for BI tools"); add
 * columns at the end only.
 */
export const STATISTICS_COLUMNS = ['period', 'municipality_code', 'dimension', 'category', 'measure', 'value', 'suppressed', 'reason'] as const;
type Column = (typeof STATISTICS_COLUMNS)[number];
export type StatisticsRow = Record<Column, string | number | boolean | null>;

/** Regional totals carry this in `municipality_code` (the covered municipalities are listed beside the rows). */
export const REGION_CODE = 'ALL';

const STATISTICS_QUERY = /* GraphQL */ `
  query Statistics($dataset: String!, $year: Int!) {
    statistics(dataset: $dataset, year: $year) {
      dataset measure dimension year municipalitiesCovered municipalitiesMissing threshold releasedAt rowTotals columnTotals
      cells { period category value suppressed reason }
    }
  }
`;

interface StatisticsTable {
  dataset: string;
  measure: string;
  dimension: string;
  year: number;
  municipalitiesCovered: string[];
  municipalitiesMissing: string[];
  threshold: number;
  releasedAt: string;
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  cells: { period: string; category: string; value: number | null; suppressed: boolean; reason: string | null }[];
}

/** Long format: every cell, then each quarter's TOTAL, then the year's total per category and overall. */
export function statisticsRows(table: StatisticsTable): StatisticsRow[] {
  const base = { municipality_code: REGION_CODE, dimension: table.dimension, measure: table.measure };
  const rows: StatisticsRow[] = table.cells.map((c) => ({ ...base, period: c.period, category: c.category, value: c.value, suppressed: c.suppressed, reason: c.reason }));
  const periods = [...new Set(table.cells.map((c) => c.period))];
  const categories = [...new Set(table.cells.map((c) => c.category))];
  const total = (period: string, category: string, value: number | null): StatisticsRow => ({
    ...base, period, category, value, suppressed: value === null, reason: value === null ? 'TABLE' : null,
  });
  periods.forEach((period, i) => rows.push(total(period, 'TOTAL', table.rowTotals[i] ?? null)));
  categories.forEach((category, j) => rows.push(total(String(table.year), category, table.columnTotals[j] ?? null)));
  const known = table.rowTotals.every((v) => v !== null);
  rows.push(total(String(table.year), 'TOTAL', known ? table.rowTotals.reduce<number>((sum, v) => sum + (v ?? 0), 0) : null));
  return rows;
}

function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header line, CRLF line ends. */
export function toCsv(rows: readonly StatisticsRow[]): string {
  return [STATISTICS_COLUMNS.join(','), ...rows.map((row) => STATISTICS_COLUMNS.map((c) => csvField(row[c])).join(','))].join('\r\n') + '\r\n';
}

function refuse(res: Response, status: number, code: string, message: string): void {
  if (status === 401) res.set('www-authenticate', 'Bearer');
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

export interface StatisticsExportOptions {
  verifier: TokenVerifier;
  /** The regional subgraph's GraphQL URL: it computes and logs every release. */
  regionalUrl: string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * `GET /stats/DATASET.csv` and `GET /stats/DATASET.json` (`?year=YYYY`, default
 * this year): the regional statistics table for BI tools. Bearer token required
 * (401), role ANALYST or COORDINATOR (403); the regional subgraph is asked with
 * the caller's own token, so it verifies and authorizes again and logs the
 * release to the caller's `sub`.
 */
export function statisticsRoutes(app: Express, options: StatisticsExportOptions): void {
  app.get('/stats/:file', async (req, res) => {
    const match = /^([a-z0-9_]{1,100})\.(csv|json)$/.exec(String(req.params.file));
    if (!match) return refuse(res, 404, 'NOT_FOUND', 'Ask for /stats/DATASET.csv or /stats/DATASET.json.');
    const [, dataset, format] = match as unknown as [string, string, 'csv' | 'json'];
    let identity: Identity;
    try {
      identity = await options.verifier.verifyAuthorization(req.get('authorization'));
    } catch (error) {
      if (error instanceof AuthenticationError) return refuse(res, 401, 'UNAUTHENTICATED', error.message);
      throw error;
    }
    if (!hasRole(identity, Role.ANALYST, Role.COORDINATOR)) return refuse(res, 403, 'FORBIDDEN', 'Statistics are for the ANALYST and COORDINATOR roles.');
    const yearText = typeof req.query.year === 'string' ? req.query.year : todayInStockholm().slice(0, 4);
    if (!/^[0-9]{4}$/.test(yearText)) return refuse(res, 400, 'BAD_USER_INPUT', 'year must be four digits, e.g. ?year=2026.');
    const requestId = req.get('x-request-id') ?? randomUUID();
    let body: { data?: { statistics?: StatisticsTable | null } | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      const response = await fetch(options.regionalUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${identity.token}`, 'x-request-id': requestId },
        body: JSON.stringify({ query: STATISTICS_QUERY, variables: { dataset, year: Number(yearText) } }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      body = (await response.json()) as typeof body;
    } catch (error) {
      options.logger.warn({ requestId, errorClass: (error as Error).name }, 'statistics export: the regional subgraph did not answer');
      return refuse(res, 503, 'UNAVAILABLE', 'The regional statistics are unavailable right now.');
    }
    const table = body.data?.statistics;
    if (!table) {
      const error = body.errors?.[0];
      const code = error?.extensions?.code ?? 'UNAVAILABLE';
      const status = code === 'BAD_USER_INPUT' ? (/Unknown dataset/.test(error?.message ?? '') ? 404 : 400) : code === 'FORBIDDEN' ? 403 : code === 'UNAUTHENTICATED' ? 401 : 503;
      return refuse(res, status, code, status >= 500 ? 'The regional statistics are unavailable right now.' : (error?.message ?? 'Refused.'));
    }
    const rows = statisticsRows(table);
    res.set('cache-control', 'no-store');
    res.set('x-municipalities-covered', table.municipalitiesCovered.join(','));
    if (format === 'json') {
      res.json({
        dataset: table.dataset,
        year: table.year,
        municipalitiesCovered: table.municipalitiesCovered,
        municipalitiesMissing: table.municipalitiesMissing,
        threshold: table.threshold,
        releasedAt: table.releasedAt,
        columns: STATISTICS_COLUMNS,
        rows,
      });
    } else {
      res.type('text/csv; charset=utf-8').send(toCsv(rows));
    }
  });
}
