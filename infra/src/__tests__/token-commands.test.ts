import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USERS } from '../dev-identity';
import { roleFromFlag } from '../role-flag';
import { tokenCommand } from '../welcome';

/** The README's table of demo users' token commands, as written by hand: the oracle for what `npm start` prints. */
const README_COMMANDS = [...readFileSync(join(__dirname, '../../../README.md'), 'utf8').matchAll(/`(npm run -s token -- [^`]+)`/g)].map((m) => m[1]);

describe('the token commands npm start prints for the demo users', () => {
  it.each(DEMO_USERS.map((user) => [user.who, user] as const))('%s: the README gives the same command', (_, user) => {
    expect(README_COMMANDS).toContain(tokenCommand(user));
  });

  it.each(DEMO_USERS.map((user) => [user.who, user] as const))('%s: npm run token reads the role back', (_, user) => {
    const flag = /--role (\S+)/.exec(tokenCommand(user))![1]!;
    expect(roleFromFlag(flag)).toBe(user.role);
  });
});
