/** Splits a byte stream into JSON messages, one per line. */
import type { Socket } from 'node:net';

/** Calls `onMessage` for every complete JSON line read from `socket`; malformed lines go to `onBad`. */
export function readJsonLines(socket: Socket, onMessage: (msg: unknown) => void, onBad: (line: string) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        onBad(line);
        continue;
      }
      onMessage(msg);
    }
  });
}

/** Writes one message as a JSON line, unless the socket is already closed. */
export function writeJsonLine(socket: Socket, msg: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(msg)}\n`);
}
