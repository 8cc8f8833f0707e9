import { AuthenticationError, hasRole, Role, type Identity, type TokenVerifier } from '@sodertorn/auth';
import { httpRefusal, httpStatusOf, PUBLIC_ERROR_CODES, StatisticsUnavailableError, type ClientError } from '@sodertorn/errors';
import { ForbiddenError, requestIdFrom, todayInStockholm, ValidationFailedError, type Logger } from '@sodertorn/service-kit';
import { STATISTICS_COLUMNS, type StatisticsRow } from '@sodertorn/statistics';
import type { JsonPost } from '@sodertorn/shard-client';
import type { Express, Request, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { CSV_DIALECTS, csvDialectOf, toCsv } from './statistics-csv';
import { toXlsx } from './statistics-xlsx';

/** The regional subgraph's `StatisticsRow` field of each export column (`municipality_code` → `municipalityCode`). */
const fieldOf = (column: string): string => column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
const COLUMN_FIELDS = STATISTICS_COLUMNS.map(fieldOf);
type GraphQLRow = Record<string, string | number | boolean | null>;

const STATISTICS_QUERY = /* GraphQL */ `
  query Statistics($dataset: String!, $year: Int!) {
    statistics(dataset: $dataset, year: $year) {
      dataset year release municipalitiesCovered municipalitiesMissing threshold releasedAt
      missingReasons { municipalityCode reason }
      rows { ${COLUMN_FIELDS.join(' ')} }
    }
  }
`;

const DATASETS_QUERY = /* GraphQL */ `
  query StatisticsDatasets {
    statisticsDatasets {
      name
      kind
      measure
      dimension
      unit
      categories
      yearTotals
      perMunicipality
    }
  }
`;

interface StatisticsTable {
  dataset: string;
  year: number;
  release: number;
  municipalitiesCovered: string[];
  municipalitiesMissing: string[];
  missingReasons: { municipalityCode: string; reason: string }[];
  threshold: number;
  releasedAt: string;
  rows: GraphQLRow[];
}

/** The regional subgraph's rows under the export's column names. */
export function statisticsRows(rows: readonly GraphQLRow[]): StatisticsRow[] {
  return rows.map((row) => Object.fromEntries(STATISTICS_COLUMNS.map((column) => [column, row[fieldOf(column)] ?? null])) as StatisticsRow);
}

/** A refusal as HTTP: status and body from its class in @sodertorn/errors (httpRefusal). */
function refuse(res: Response, error: ClientError): undefined {
  const { status, body } = httpRefusal(error);
  if (status === 401) res.set('www-authenticate', 'Bearer');
  res.status(status).json(body);
}

const unavailable = () => new StatisticsUnavailableError('The regional statistics are unavailable right now.', []);

export interface StatisticsExportOptions {
  verifier: TokenVerifier;
  /** The regional subgraph's GraphQL endpoint (its pool and TLS, @sodertorn/shard-client): it computes and logs every release. */
  regional: JsonPost;
  timeoutMs: number;
  logger: Logger;
}

type RegionalAnswer<T> = { data?: T | null; errors?: GraphQLFormattedError[] };

/** Verifies the bearer token and the role; answers 401/403 itself and returns undefined then. */
async function statisticsReader(req: Request, res: Response, verifier: TokenVerifier): Promise<Identity | undefined> {
  let identity: Identity;
  try {
    identity = await verifier.verifyAuthorization(req.get('authorization'));
  } catch (error) {
    if (error instanceof AuthenticationError) return refuse(res, error);
    throw error;
  }
  if (!hasRole(identity, Role.ANALYST, Role.COORDINATOR)) return refuse(res, new ForbiddenError('Statistics are for the ANALYST and COORDINATOR roles.'));
  return identity;
}

/** Asks the regional subgraph with the caller's own token; undefined (after a 503) when it does not answer. */
async function askRegional<T>(
  options: StatisticsExportOptions,
  res: Response,
  identity: Identity,
  requestId: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<RegionalAnswer<T> | undefined> {
  try {
    const answer = await options.regional.send(
      JSON.stringify({ query, variables }),
      { authorization: `Bearer ${identity.token}`, 'x-request-id': requestId },
      options.timeoutMs,
    );
    return answer.body as RegionalAnswer<T>;
  } catch (error) {
    options.logger.warn({ requestId, errorClass: (error as Error).name }, 'statistics export: the regional subgraph did not answer');
    refuse(res, unavailable());
    return undefined;
  }
}

/**
 * The regional subgraph's refusal passed on as HTTP: a public error (one of @sodertorn/errors'
 * codes or Apollo's protocol codes) as it is, at the status its code means (httpStatusOf); anything
 * else, or no error at all, is the service's own trouble, masked as STATISTICS_UNAVAILABLE (503).
 */
function refuseLike(res: Response, error: GraphQLFormattedError | undefined): void {
  const code = error?.extensions?.code;
  if (!error || typeof code !== 'string' || !PUBLIC_ERROR_CODES.has(code)) return void refuse(res, unavailable());
  const status = httpStatusOf(error);
  if (status === 401) res.set('www-authenticate', 'Bearer');
  res.status(status).json({ errors: [error] });
}

/**
 * `GET /stats`: the datasets, with the address of each export.
 * `GET /stats/DATASET.csv`, `.json` and `.xlsx` (`?year=YYYY`, default
 * this year): one dataset's table for BI tools, regional and per municipality.
 * Bearer token required (401), role ANALYST or COORDINATOR (403); the regional
 * subgraph is asked with the caller's own token, so it verifies and authorizes
 * again and logs the release to the caller's `sub`. Each year answers its
 * stored release (docs/statistics.md): the same numbers until a new release.
 */
export function statisticsRoutes(app: Express, options: StatisticsExportOptions): void {
  app.get('/stats', async (req, res) => {
    const identity = await statisticsReader(req, res, options.verifier);
    if (!identity) return;
    const requestId = requestIdFrom(req.get('x-request-id'));
    const body = await askRegional<{ statisticsDatasets: { name: string }[] }>(options, res, identity, requestId, DATASETS_QUERY, {});
    if (!body) return;
    if (!body.data?.statisticsDatasets) return refuseLike(res, body.errors?.[0]);
    res.set('cache-control', 'no-store');
    res.json({
      columns: STATISTICS_COLUMNS,
      datasets: body.data.statisticsDatasets.map((d) => ({ ...d, csv: `/stats/${d.name}.csv`, json: `/stats/${d.name}.json`, xlsx: `/stats/${d.name}.xlsx` })),
    });
  });

  app.get('/stats/:file', async (req, res) => {
    const match = /^([a-z0-9_]{1,100})\.(csv|json|xlsx)$/.exec(String(req.params.file));
    if (!match) return refuse(res, ValidationFailedError.of('file', 'must be DATASET.csv, DATASET.json or DATASET.xlsx (the datasets are listed at /stats)'));
    const [, dataset, format] = match as unknown as [string, string, 'csv' | 'json' | 'xlsx'];
    const identity = await statisticsReader(req, res, options.verifier);
    if (!identity) return;
    const years = parseYears(typeof req.query.year === 'string' ? req.query.year : todayInStockholm().slice(0, 4));
    if (typeof years === 'string') return refuse(res, ValidationFailedError.of('year', years));
    const dialect = format === 'csv' ? csvDialectOf(req.query.locale) : req.query.locale === undefined ? CSV_DIALECTS.default : 'applies to CSV only';
    if (typeof dialect === 'string') return refuse(res, ValidationFailedError.of('locale', dialect));
    const requestId = requestIdFrom(req.get('x-request-id'));
    // One year after the other: each is a round over the shards and a release of its own.
    const tables: StatisticsTable[] = [];
    for (const year of years) {
      const body = await askRegional<{ statistics?: StatisticsTable | null }>(options, res, identity, requestId, STATISTICS_QUERY, { dataset, year });
      if (!body) return;
      const table = body.data?.statistics;
      if (!table) return refuseLike(res, body.errors?.[0]);
      tables.push(table);
    }
    const rows = statisticsRows(tables.flatMap((t) => t.rows));
    const about = (t: StatisticsTable) => ({
      year: t.year,
      release: t.release,
      municipalitiesCovered: t.municipalitiesCovered,
      municipalitiesMissing: t.municipalitiesMissing,
      missingReasons: t.missingReasons,
      threshold: t.threshold,
      releasedAt: t.releasedAt,
    });
    res.set('cache-control', 'no-store');
    res.set('x-municipalities-covered', tables.map((t) => (tables.length === 1 ? '' : `${t.year}=`) + t.municipalitiesCovered.join(',')).join(';'));
    // A file name for browsers and Excel's "From Web" alike: the dataset and its years.
    const fileName = `${dataset}-${years.length === 1 ? years[0] : `${years[0]}-${years.at(-1)}`}`;
    if (format === 'xlsx') {
      // Typed cells: no locale setting involved, so there is no Swedish variant of it.
      res.set('content-disposition', `attachment; filename="${fileName}.xlsx"`);
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(rows, tables.map(about)));
    } else if (format === 'json') {
      // One year: its facts at the top, as always; several: one entry per year in `years`.
      res.json({ dataset, ...(tables.length === 1 ? about(tables[0]!) : {}), years: tables.map(about), columns: STATISTICS_COLUMNS, rows });
    } else {
      res.set('content-disposition', `attachment; filename="${fileName}${dialect === CSV_DIALECTS.sv ? '-sv' : ''}.csv"`);
      res.type('text/csv; charset=utf-8').send(toCsv(rows, dialect));
    }
  });
}

/** The most years one export may span: each is a round over every shard. */
export const MAX_EXPORT_YEARS = 10;

/**
 * `2026`, `2024-2026` or `2024,2026`: the years, ascending and distinct, or why not.
 */
export function parseYears(text: string): number[] | string {
  const usage = 'must be a year (2026), a range (2024-2026) or a list (2024,2026) of four-digit years';
  const range = /^([0-9]{4})-([0-9]{4})$/.exec(text);
  let years: number[];
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (from > to) return `the range ${text} runs backwards; write it as ${to}-${from}`;
    years = Array.from({ length: Math.min(to - from + 1, MAX_EXPORT_YEARS + 1) }, (_, i) => from + i);
  } else if (/^[0-9]{4}(,[0-9]{4})*$/.test(text)) {
    years = [...new Set(text.split(',').map(Number))].sort((a, b) => a - b);
  } else {
    return usage;
  }
  if (years.length > MAX_EXPORT_YEARS) return `at most ${MAX_EXPORT_YEARS} years in one export`;
  return years;
}
