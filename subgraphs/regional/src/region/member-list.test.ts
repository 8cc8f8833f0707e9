import { MemberList } from './member-list';

/** A table stand-in whose rows the test changes, counting the reads; a clock the test moves. */
function setUp(maxAgeMs: number) {
  const table = { rows: [{ code: '0126', name: 'Huddinge' }], reads: 0 };
  const clock = { now: 1_000 };
  const read = async () => {
    table.reads++;
    await new Promise((resolve) => setImmediate(resolve));
    return table.rows.map((row) => ({ ...row }));
  };
  return { table, clock, list: new MemberList(read, maxAgeMs, () => clock.now) };
}

describe('MemberList', () => {
  it('reads the table once for requests within the max age, and again after it', async () => {
    const { table, clock, list } = setUp(5_000);
    expect(await list.members()).toEqual([{ code: '0126', name: 'Huddinge' }]);
    table.rows = [...table.rows, { code: '0127', name: 'Botkyrka' }];
    clock.now += 4_999;
    expect((await list.members()).map((m) => m.code)).toEqual(['0126']);
    expect(table.reads).toBe(1);
    clock.now += 1;
    expect((await list.members()).map((m) => m.code)).toEqual(['0126', '0127']);
    expect(table.reads).toBe(2);
  });

  it('shares one read among concurrent requests', async () => {
    const { table, list } = setUp(5_000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => list.members()));
    expect(table.reads).toBe(1);
    expect(new Set(answers).size).toBe(1);
  });

  it('with a max age of 0 reads for every request', async () => {
    const { table, list } = setUp(0);
    await list.members();
    table.rows = [];
    expect(await list.members()).toEqual([]);
    expect(table.reads).toBe(2);
  });

  it('keeps no failed read: the next request reads again', async () => {
    let fail = true;
    const list = new MemberList(async () => {
      if (fail) throw new Error('database down');
      return [{ code: '0126', name: 'Huddinge' }];
    });
    await expect(list.members()).rejects.toThrow('database down');
    fail = false;
    expect(await list.members()).toEqual([{ code: '0126', name: 'Huddinge' }]);
  });

  it('hands out rows no request can change', async () => {
    const { list } = setUp(5_000);
    const members = (await list.members()) as unknown as { code: string }[];
    expect(() => {
      members[0]!.code = '9999';
    }).toThrow(TypeError);
    expect(() => members.push({ code: '0127' })).toThrow(TypeError);
    expect((await list.members())[0]!.code).toBe('0126');
  });
});
