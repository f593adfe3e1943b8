/** The load test signs in as the demo board user, as a board member's browser would. */
export async function signInForBench(url: string): Promise<string | undefined> {
  const response = await fetch(new URL('/api/v1/session', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url.replace(/\/$/, '') },
    body: JSON.stringify({ username: 'board', password: 'demo-board' }),
  });
  if (!response.ok) return undefined;
  return response.headers.get('set-cookie')?.split(';')[0];
}
