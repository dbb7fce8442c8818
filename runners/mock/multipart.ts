// A small multipart/form-data reader (RFC 7578), enough for the SDK's file uploads.
import { invalidRequest } from './errors.js';

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string | undefined): FormPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !boundary) {
    throw invalidRequest('Expected a multipart/form-data body with a boundary.', null, 'invalid_content_type');
  }
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  // After the first, a delimiter counts only at the start of a line, so data may hold the boundary text.
  const lineDelimiter = Buffer.concat([Buffer.from('\r\n'), delimiter]);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    const next = body.indexOf(lineDelimiter, start);
    if (next === -1) break;
    // Each part is CRLF, headers, CRLF CRLF, data, then CRLF and the next delimiter.
    const part = body.subarray(start + 2, next);
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) throw invalidRequest('A multipart part has no header block.', null, 'invalid_multipart');
    parts.push(readPart(part.subarray(0, split).toString('utf8'), part.subarray(split + 4)));
    at = next + 2;
  }
  throw invalidRequest('The multipart body ends without its closing boundary.', null, 'invalid_multipart');
}

function readPart(headerBlock: string, data: Buffer): FormPart {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of headerBlock.split('\r\n')) {
    const colon = line.indexOf(':');
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') {
      name = /\bname="([^"]*)"/i.exec(value)?.[1];
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
    } else if (key === 'content-type') {
      contentType = value;
    }
  }
  if (name === undefined) throw invalidRequest('A multipart part has no name.', null, 'invalid_multipart');
  return { name, filename, contentType, data };
}
