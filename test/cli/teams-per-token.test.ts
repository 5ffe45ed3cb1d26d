// Choosing a Teams webhook per token (`add/edit --teams NAME`, CSV column `teams`): checked against the configured
// webhook names, stored by name only, and delivered by `scan` to that webhook (two local Workflows webhooks), with a
// permanent failure naming the webhook when it is no longer configured.
import fs from 'node:fs';
import path from 'node:path';
import { cliHarness, type CliHarness } from '../support/cli';
import { startFakeTeams, type FakeTeamsServer } from '../support/fake-teams-server';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('a Teams webhook per token', () => {
  let dir: string;
  let mdm: FakeTeamsServer;
  let ops: FakeTeamsServer;
  let cli: CliHarness;

  beforeEach(async () => {
    dir = makeTempDir();
    mdm = await startFakeTeams({ sig: 'MDMSIG' });
    ops = await startFakeTeams({ sig: 'OPSSIG' });
    cli = cliHarness(dir, {
      TOKENWATCH_TEAMS_WEBHOOKS: `mdm=${mdm.webhookUrl},ops=${ops.webhookUrl}`,
      TOKENWATCH_TEAMS_DEFAULT: 'mdm',
      TOKENWATCH_THRESHOLDS: '60,30,7',
    });
  });
  afterEach(async () => {
    await mdm.close();
    await ops.close();
    removeDir(dir);
  });

  const dbBytes = (): Buffer => fs.readFileSync(cli.dbPath);

  it('sends a token with --teams to its own webhook and the others to the default one', async () => {
    expect((await cli.run('add', '--name', 'Ops token', '--expires', '2027-01-20', '--teams', 'ops')).code).toBe(0);
    expect((await cli.run('add', '--name', 'Plain token', '--expires', '2027-01-21')).code).toBe(0);
    const scan = await cli.run('scan');
    expect(scan).toMatchObject({ code: 0 });
    expect(ops.posts().map((post) => post.visibleText)).toEqual([expect.stringContaining('Ops token')]);
    expect(mdm.posts().map((post) => post.visibleText)).toEqual([expect.stringContaining('Plain token')]);
  });

  it("delivers the renewal confirmation to the token's own webhook at once, as a card Teams renders", async () => {
    expect((await cli.run('add', '--name', 'Ops token', '--expires', '2027-01-20', '--teams', 'ops')).code).toBe(0);
    expect((await cli.run('scan')).code).toBe(0);
    const renewed = await cli.run('renew', 'Ops token', '--expires', '2028-01-20');
    expect(renewed.code).toBe(0);
    // The fake webhook accepts only what Teams would (Adaptive Card shape, version, size): both arrived.
    const posts = ops.posts();
    expect(posts).toHaveLength(2);
    expect(posts[1]?.title).toMatch(/renewed/i);
    expect(posts[1]?.visibleText).toContain('Ops token');
    expect(posts[1]?.visibleText).toMatch(/2028/);
    expect(mdm.posts()).toEqual([]);
  });

  it('stores the name, never the URL, and shows it', async () => {
    await cli.run('add', '--name', 'Ops token', '--expires', '2027-06-01', '--teams', 'ops');
    expect(JSON.parse((await cli.run('show', 'Ops token', '--json')).stdout)).toMatchObject({ teams: 'ops' });
    expect((await cli.run('show', 'Ops token')).stdout).toMatch(/^Teams webhook: +ops$/m);
    expect((await cli.run('show', 'Ops token')).stdout).not.toContain('OPSSIG');
    expect(dbBytes().includes('OPSSIG')).toBe(false);
    expect(dbBytes().includes(ops.webhookUrl.split('?')[0] ?? 'none')).toBe(false);
  });

  it('refuses a webhook name that is not configured, in one line, leaving the registry untouched', async () => {
    await cli.run('add', '--name', 'Existing', '--expires', '2027-06-01');
    const before = dbBytes();
    const added = await cli.run('add', '--name', 'New', '--expires', '2027-06-01', '--teams', 'sales');
    expect(added).toEqual({ code: 2, stdout: '', stderr: 'tokenwatch: --teams: "sales" is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS (expected one of: mdm, ops)' });
    const edited = await cli.run('edit', 'Existing', '--teams', 'sales');
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/^tokenwatch: --teams: "sales" is not a webhook/);
    expect((await cli.run('add', '--name', 'New', '--expires', '2027-06-01', '--teams', 'bad name')).stderr).toMatch(
      /^tokenwatch: --teams: "bad name" is not a webhook name \(expected letters, digits, - or _/,
    );
    expect(dbBytes().equals(before)).toBe(true);
  });

  it('accepts any well-formed name while Teams is not configured, and delivery names it once it is', async () => {
    const bare = cliHarness(dir);
    expect((await bare.run('add', '--name', 'Early', '--expires', '2027-01-20', '--teams', 'sales')).code).toBe(0);
    // Teams is configured later, without a webhook called "sales": the reminder fails for good, saying why.
    const scan = await cli.run('scan');
    expect(scan.code).toBe(1);
    expect(mdm.posts()).toEqual([]);
    const history = JSON.parse((await cli.run('history', 'Early', '--json')).stdout) as { channel: string; recipient: string; status: string; error: string | null }[];
    expect(history).toEqual([
      expect.objectContaining({ channel: 'teams', recipient: 'sales', status: 'failed', error: expect.stringContaining('Teams webhook "sales" is not configured') }),
    ]);
  });

  it('has doctor fail ahead of delivery, naming the tokens whose webhook is no longer configured', async () => {
    const bare = cliHarness(dir);
    await bare.run('add', '--name', 'Early', '--expires', '2027-06-20', '--teams', 'sales');
    await bare.run('add', '--name', 'Escalating', '--expires', '2027-06-20', '--escalate-teams', 'sales,oncall');
    await bare.run('add', '--name', 'Fine', '--expires', '2027-06-20', '--teams', 'ops');
    // Before Teams is configured: a note, not a failure (those reminders go to the other channels).
    const before = await bare.run('doctor');
    expect(before.stdout).toMatch(/^routing +note +tokens name Teams webhooks, but Teams is not configured: "oncall" \("Escalating"\), "ops" \("Fine"\), "sales" \("Early", "Escalating"\)/m);

    const doctor = await cli.run('doctor');
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^routing +failed +tokens name Teams webhooks that are not configured: "oncall" \("Escalating"\), "sales" \("Early", "Escalating"\) \(expected one of TOKENWATCH_TEAMS_WEBHOOKS: mdm, ops;/m);
    expect(doctor.stdout).not.toContain('MDMSIG');

    await cli.run('edit', 'Early', '--teams', 'ops');
    await cli.run('edit', 'Escalating', '--clear', 'escalate-teams');
    expect((await cli.run('doctor')).stdout).toMatch(/^routing +ok +every Teams webhook tokens name is configured \(1\)$/m);
  });

  it('edits and clears the webhook: a cleared token goes back to the default', async () => {
    await cli.run('add', '--name', 'Moving', '--expires', '2027-01-20', '--teams', 'ops');
    expect((await cli.run('edit', 'Moving', '--clear', 'teams')).code).toBe(0);
    expect(JSON.parse((await cli.run('show', 'Moving', '--json')).stdout)).toMatchObject({ teams: null });
    await cli.run('scan');
    expect(ops.posts()).toEqual([]);
    expect(mdm.posts()).toHaveLength(1);
  });

  it('imports the teams column of a CSV, checked like --teams', async () => {
    const csv = path.join(dir, 'tokens.csv');
    fs.writeFileSync(csv, 'name,expires,teams\nOps token,2027-01-20,ops\nPlain token,2027-01-21,\n');
    expect((await cli.run('import', '--csv', csv)).code).toBe(0);
    expect((JSON.parse((await cli.run('list', '--json')).stdout) as { teams: string | null }[]).map((token) => token.teams)).toEqual(['ops', null]);
    await cli.run('scan');
    expect(ops.posts()).toHaveLength(1);
    expect(mdm.posts()).toHaveLength(1);

    const before = dbBytes();
    fs.writeFileSync(csv, 'name,expires,teams\nA,2027-03-01,mdm\nB,2027-03-01,sales\n');
    const refused = await cli.run('import', '--csv', csv);
    expect(refused).toMatchObject({ code: 2, stderr: `tokenwatch: ${csv} line 3: teams: "sales" is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS (expected one of: mdm, ops)` });
    expect(dbBytes().equals(before)).toBe(true);
  });
});
