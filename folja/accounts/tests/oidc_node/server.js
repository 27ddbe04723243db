// A real, certified OpenID provider (oidc-provider) for the OIDC tests, on 127.0.0.1 only.
//
//   node server.js --config config.json [--port N]
//
// config.json: {"clients": [...oidc-provider client metadata...],
//               "accounts": {"anna": {"sub": "...", "<claim>": "..."}, ...}}
// Port 0 (the default) lets the kernel pick a free one, so parallel test runs cannot collide;
// the chosen port is printed as `READY <port>` and the issuer is http://127.0.0.1:<port>.
//
// The login interaction stands in for the e-ID app and is plain HTML a test drives with
// HTTP: GET /interaction/<uid> shows a form, POST /interaction/<uid>/login with `login=<name>`
// signs that account in (an unknown name is refused with access_denied). Consent is implied for
// these first-party clients (loadExistingGrant), as a municipality's own e-ID broker does.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";

import Provider from "oidc-provider";

const { values: args } = parseArgs({
  options: { config: { type: "string" }, port: { type: "string", default: "0" } },
});
const config = JSON.parse(readFileSync(args.config, "utf8"));
const accounts = config.accounts;

// A fresh key per process with one fixed kid: two providers then publish the same kid with
// different keys, so a token checked against the other's JWKS fails on its signature.
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "folja-test", alg: "RS256", use: "sig" };

const claimNames = new Set();
for (const claims of Object.values(accounts)) {
  for (const name of Object.keys(claims)) if (name !== "sub") claimNames.add(name);
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function findAccountByLogin(login) {
  return Object.prototype.hasOwnProperty.call(accounts, login) ? accounts[login] : undefined;
}

function configuration() {
  return {
    clients: config.clients,
    jwks: { keys: [signingKey] },
    claims: { openid: ["sub"], profile: [...claimNames] },
    cookies: { keys: ["folja-test-cookie-key"] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html lang="sv"><head><title>Logga ut</title></head><body>
${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Logga ut</button>
</body></html>`;
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const found = Object.values(accounts).find((claims) => claims.sub === sub);
      if (!found) return undefined;
      return { accountId: sub, claims: async () => ({ ...found }) };
    },
    async loadExistingGrant(ctx) {
      const { Grant } = ctx.oidc.provider;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      const grant = grantId ? await Grant.find(grantId) : new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope);
      await grant.save();
      return grant;
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600 },
  };
}

let provider;
let callback;

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error("interaction mismatch");
  if (req.method === "GET" && !action) {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!DOCTYPE html><html lang="sv"><head><title>e-legitimation</title></head><body>
<form method="post" action="/interaction/${escape(uid)}/login" id="login">
<label>Vem loggar in? <input name="login"></label> <button type="submit">Legitimera</button>
</form><p id="prompt">${escape(details.prompt.name)}</p></body></html>`);
    return;
  }
  if (req.method === "POST" && action === "login") {
    const login = (await readForm(req)).get("login") || "";
    const account = findAccountByLogin(login);
    const result = account
      ? { login: { accountId: account.sub } }
      : { error: "access_denied", error_description: "unknown test account" };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(405).end();
}

const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([^/?]+)(?:\/([a-z]+))?/.exec(req.url);
  if (!match) return callback(req, res);
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (err) {
    res.writeHead(400, { "Content-Type": "text/plain" }).end(String(err));
  }
});

server.listen(Number(args.port), "127.0.0.1", () => {
  const { port } = server.address();
  provider = new Provider(`http://127.0.0.1:${port}`, configuration());
  // oidc-provider accepts a client secret in the header or the body whichever method the
  // client registered; like many production providers, this one holds each client to its
  // registered method, so a test can tell which one the relying party used.
  provider.use(async (ctx, next) => {
    await next();
    const client = ctx.oidc?.client;
    if (ctx.path !== "/token" || !client) return;
    const used = /^basic /i.test(ctx.headers.authorization || "") ? "client_secret_basic" : "client_secret_post";
    if (used !== client.tokenEndpointAuthMethod) {
      ctx.status = 401;
      ctx.body = { error: "invalid_client", error_description: `registered for ${client.tokenEndpointAuthMethod}, used ${used}` };
    }
  });
  callback = provider.callback();
  console.log(`READY ${port}`);
});

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
