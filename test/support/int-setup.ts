// Integration tests wait on real services (a worker bundle, a relay, a projector): jest's 5 s default is for unit specs.
jest.setTimeout(120_000);
// Workers, relays and projectors log every state change at info; a test run shows warnings and errors unless asked.
process.env.LOG_LEVEL ??= 'warn';
