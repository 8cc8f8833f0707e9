import { loadSolver, SolverError, withModel } from './highs';

describe('HiGHS wrapper', () => {
  it('turns a HiGHS failure into a SolverError and loads a fresh module next time', async () => {
    const highs = await loadSolver();
    expect(await loadSolver()).toBe(highs);
    const broken = {
      numCols: 1,
      numRows: 0,
      colCost: [1],
      colLower: [0],
      colUpper: [1],
      rowLower: [],
      rowUpper: [],
      matrix: { format: 'csc' as const, numRows: 0, numCols: 1, starts: [0, 5], indices: [], values: [] },
    };
    expect(() => withModel(highs, (model) => model.passModel(broken))).toThrow(SolverError);
    expect(await loadSolver()).not.toBe(highs);
  });
});
