import * as municipality from '@sodertorn/municipality';
import * as regional from '@sodertorn/regional';

// What `npm start` and a deployment load is the packages' main entry; test support (embedded
// databases, fixed seeds, test keys) lives behind the `/testing` subpath only.
describe('the subgraph packages the services load', () => {
  it.each([
    ['@sodertorn/municipality', municipality],
    ['@sodertorn/regional', regional],
  ])('%s exports no test support', (_name, entry) => {
    const testSupport = Object.keys(entry).filter((name) => /^startTest|^TEST_|^Test[A-Z]/.test(name));
    expect(testSupport).toEqual([]);
  });
});
