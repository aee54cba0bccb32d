import type { Role } from '../db/schema.ts';

/**
 * One account per role for the demo town. The passwords are public (README.md, "Demo accounts"):
 * only the demo seed creates these accounts, and a real town runs with SEED_DEMO=false.
 */
export const demoAccounts: { email: string; password: string; role: Role; displayName: string }[] = [
  { email: 'admin@demo.vielstimmig.de', password: 'demo-admin-2026', role: 'admin', displayName: 'Demo admin' },
  { email: 'analyst@demo.vielstimmig.de', password: 'demo-analyst-2026', role: 'analyst', displayName: 'Demo analyst' },
  {
    email: 'interviewer@demo.vielstimmig.de',
    password: 'demo-interviewer-2026',
    role: 'interviewer',
    displayName: 'Demo interviewer',
  },
];
