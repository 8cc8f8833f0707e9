/** The web server's refusal of a register extract: its code, its message, and the field it names if any. */
export interface AccessRequestRefusal {
  status: number;
  code: string;
  message: string;
  extensions: Record<string, unknown>;
  field?: string;
}

/** Matches what the API takes as a participant's id (a UUID), so a typing mistake is shown at once. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Fetches a participant's register extract (printable HTML) through the web server, the id in the
 * body, never the address, and hands it to the browser as a download. The file name names no one.
 * A download rather than a new tab: the extract's own styles are inline, which the app's
 * Content-Security-Policy (inherited by a blob: page) would refuse.
 */
export async function downloadAccessRequest(participantId: string, language: string, fileName: string): Promise<AccessRequestRefusal | null> {
  const response = await fetch('/downloads/access-request', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/html' },
    body: JSON.stringify({ participantId, language: language === 'en' ? 'en' : 'sv' }),
  });
  if (!response.ok) return refusalOf(response);
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Let the download start before the file is let go of.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return null;
}

async function refusalOf(response: Response): Promise<AccessRequestRefusal> {
  const body = (await response.json().catch(() => null)) as {
    errors?: { message?: string; extensions?: { code?: string; field?: string; fields?: { field: string }[] } }[];
  } | null;
  const first = body?.errors?.[0];
  const extensions = first?.extensions ?? {};
  return {
    status: response.status,
    code: extensions.code ?? 'INTERNAL_SERVER_ERROR',
    message: first?.message ?? response.statusText,
    extensions,
    field: extensions.field ?? extensions.fields?.[0]?.field,
  };
}
