// Integration tests wait on real services (a worker bundle, a relay, a projector): jest's 5 s default is for unit specs.
jest.setTimeout(120_000);
