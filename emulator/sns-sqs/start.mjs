// Starts fauxqs (SNS + SQS, filter policies, raw delivery) on 127.0.0.1 only, at the port given.
// Its startFauxqs() listens on every interface, so the app is built and bound to loopback here.
import { buildApp } from "fauxqs";

const port = Number(process.argv[2]);
const app = buildApp({ logger: false });
await app.listen({ port, host: "127.0.0.1" });
console.log(`fauxqs listening on http://127.0.0.1:${port}`);
