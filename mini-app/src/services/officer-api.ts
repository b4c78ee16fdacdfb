import { requestDownload, requestJson, type Download } from './api';
import type { AuditEntry, Broadcast, DashboardData, Draft, Grant, Leaderboard, OfficerScope, Preview, Team } from './officer-types';
import type { Role } from './types';

/**
 * The officers' console and the admin screen. Every call needs the session; the server checks the role and the
 * wards of every request (403 FORBIDDEN or OUT_OF_SCOPE with a Vietnamese `error`), so hiding a button here is a
 * convenience, never the protection.
 */
const post = (body?: unknown): RequestInit => ({ method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const id = (s: string) => encodeURIComponent(s);

export function fetchScope(): Promise<OfficerScope> {
  return requestJson('/api/officer/scope', { auth: 'required' });
}

export function previewBroadcast(draft: Draft): Promise<Preview> {
  return requestJson('/api/officer/broadcasts/preview', { ...post(draft), auth: 'required' });
}

export function sendBroadcast(draft: Draft): Promise<Broadcast> {
  return requestJson('/api/officer/broadcasts', { ...post(draft), auth: 'required' });
}

export function fetchBroadcasts(): Promise<{ broadcasts: Broadcast[] }> {
  return requestJson('/api/officer/broadcasts', { auth: 'required' });
}

export function cancelBroadcast(broadcastId: string): Promise<Broadcast> {
  return requestJson(`/api/officer/broadcasts/${id(broadcastId)}/cancel`, { ...post(), auth: 'required' });
}

/** All the officer's wards, or one of them. */
export function fetchDashboard(ward?: string): Promise<DashboardData> {
  return requestJson(`/api/officer/dashboard${ward ? `?${new URLSearchParams({ ward })}` : ''}`, { auth: 'required' });
}

/** quarter: "2026-Q1". */
export function fetchReport(quarter: string, ward?: string): Promise<Download> {
  const q = new URLSearchParams({ quarter, ...(ward ? { ward } : {}) });
  // A whole quarter for every ward can take the server a moment longer than a question.
  return requestDownload(`/api/officer/report.csv?${q}`, { auth: 'required', timeoutMs: 30_000 });
}

export function fetchGrants(): Promise<{ grants: Grant[] }> {
  return requestJson('/api/admin/roles', { auth: 'required' });
}

export function grantRole(externalId: string, role: Role, ward: string): Promise<{ grants: Grant[] }> {
  return requestJson('/api/admin/roles', { ...post({ externalId, role, ...(role === 'admin' ? {} : { ward }) }), auth: 'required' });
}

export function revokeRole(externalId: string, role: Role, ward: string): Promise<{ grants: Grant[] }> {
  return requestJson('/api/admin/roles/revoke', { ...post({ externalId, role, ...(role === 'admin' ? {} : { ward }) }), auth: 'required' });
}

/** Newest first; `before` pages back from an entry id. */
export function fetchAudit(opts: { limit?: number; before?: number } = {}): Promise<{ entries: AuditEntry[] }> {
  const q = new URLSearchParams();
  if (opts.limit) q.set('limit', String(opts.limit));
  if (opts.before) q.set('before', String(opts.before));
  const qs = q.toString();
  return requestJson(`/api/admin/audit${qs ? `?${qs}` : ''}`, { auth: 'required' });
}

// Tổ công nghệ số cộng đồng of the officer's wards.

export function fetchTeams(): Promise<{ teams: Team[] }> {
  return requestJson('/api/officer/teams', { auth: 'required' });
}

export function createTeam(name: string, ward: string): Promise<{ teams: Team[] }> {
  return requestJson('/api/officer/teams', { ...post({ name, ward }), auth: 'required' });
}

/** externalId: "zalo:<id>" (or "dev:<id>" on a development server). */
export function addTeamMember(teamId: string, externalId: string): Promise<{ teams: Team[] }> {
  return requestJson(`/api/officer/teams/${id(teamId)}/members`, { ...post({ externalId }), auth: 'required' });
}

export function removeTeamMember(teamId: string, externalId: string): Promise<{ teams: Team[] }> {
  return requestJson(`/api/officer/teams/${id(teamId)}/members/remove`, { ...post({ externalId }), auth: 'required' });
}

export function fetchLeaderboard(year: number): Promise<Leaderboard> {
  return requestJson(`/api/officer/leaderboard?${new URLSearchParams({ year: String(year) })}`, { auth: 'required' });
}

export function fetchLeaderboardCsv(year: number): Promise<Download> {
  return requestDownload(`/api/officer/leaderboard.csv?${new URLSearchParams({ year: String(year) })}`, { auth: 'required', timeoutMs: 30_000 });
}
