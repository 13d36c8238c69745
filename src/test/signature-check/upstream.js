// The upstream SignatureCheckIT puts behind Latchkey: appended to the Node.js check of docs/gateway.md, as printed.
// It answers every request with the check's verdict on its first line (200 verified, 403 refused, 500 and the stack
// when the check threw or answered anything but true or false), then the request's headers as received, for the
// test to replay.
const http = require('http');

http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    let status;
    let text;
    try {
      const verdict = latchkeyVerified(process.env.SIGNING_SECRET, req);
      [status, text] = verdict === true ? [200, 'verified'] : verdict === false ? [403, 'refused'] : [500, String(verdict)];
    } catch (e) {
      [status, text] = [500, e.stack];
    }
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    // one request per connection, as the Python upstream: no client reuses a connection the upstream may close
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
      .end(`${text}\n${headers.join('\n')}\n`);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
