import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** A message the sink accepted, with the few decoded parts tests look at. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  /** The body, quoted-printable decoded when it was sent so. */
  readonly text: string;
  readonly raw: string;
}

/** How the sink answers RCPT TO while refusing: 451 (try again later) or 550 (no such mailbox). */
export type Refusal = 'temporarily' | 'permanently';

/** An SMTP server on 127.0.0.1 (no TLS, no auth) that keeps what it receives. */
export interface SmtpSink {
  /** For SMTP_URL, e.g. `smtp://127.0.0.1:40123`. */
  readonly url: string;
  readonly messages: readonly ReceivedMail[];
  /** Messages addressed to `recipient`. */
  to(recipient: string): ReceivedMail[];
  /** Waits until `count` messages went to `recipient` (fails after `timeoutMs`). */
  waitFor(recipient: string, count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Refuses `recipient` (every recipient when omitted) until {@link accept}. */
  refuse(how: Refusal, recipient?: string): void;
  accept(recipient?: string): void;
  close(): Promise<void>;
}

const EVERYONE = '*';

export async function smtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const refused = new Map<string, Refusal>();
  const refusalOf = (address: string) => refused.get(address.toLowerCase()) ?? refused.get(EVERYONE);

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = refusalOf(address.address);
      if (refusal === undefined) {
        callback();
        return;
      }
      const [code, text] =
        refusal === 'temporarily' ? [451, 'Try again later'] : [550, 'No such mailbox here'];
      callback(Object.assign(new Error(text), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          ...parseMessage(raw),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  const to = (recipient: string) => messages.filter((m) => m.to.includes(recipient.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to,
    async waitFor(recipient, count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (to(recipient).length < count) {
        if (Date.now() > deadline)
          throw new Error(`${to(recipient).length} of ${count} mails to ${recipient}`);
        await sleep(50);
      }
      return to(recipient);
    },
    refuse(how, recipient = EVERYONE) {
      refused.set(recipient.toLowerCase(), how);
    },
    accept(recipient = EVERYONE) {
      refused.delete(recipient.toLowerCase());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(resolve);
      }),
  };
}

/** The subject and the body of an RFC 5322 message as nodemailer writes a plain-text one. */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  // Unfold continued header lines first.
  const headers = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const header = (name: string) =>
    headers
      .find((line) => line.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim() ?? '';
  const quotedPrintable = header('content-transfer-encoding').toLowerCase() === 'quoted-printable';
  return {
    subject: header('subject'),
    text: (quotedPrintable ? decodeQuotedPrintable(body) : body).replace(/\r\n/g, '\n'),
  };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
