import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/error-note';
import { ApiError } from '../../services/api';
import { fetchLeaderboard, fetchLeaderboardCsv } from '../../services/officer-api';
import type { Leaderboard } from '../../services/officer-types';
import { formatCount } from './charts';
import { CsvDownload } from './csv-download';
import { OfficerScreen } from './officer-screen';

/**
 * "Tổ công nghệ số tiêu biểu" and "Gia đình số tiêu biểu" of the officer's wards for a year, computed by the
 * server from real progress: each team's score with its parts written out, the households with most members at
 * the basic level, and per ward how many households are covered. The same as CSV.
 */
export function LeaderboardPage() {
  return (
    <OfficerScreen title="Bảng xếp hạng">
      <Ranking />
    </OfficerScreen>
  );
}

/** This year in Vietnam time, and the years before it back to 2025 (when the movement's targets start). */
function years(): number[] {
  const now = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
  const out: number[] = [];
  for (let y = now; y >= Math.min(2025, now - 1); y--) out.push(y);
  return out;
}

function Ranking() {
  const choices = years();
  const [year, setYear] = useState(choices[0]!);
  const [data, setData] = useState<Leaderboard | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError('');
    setData(null);
    fetchLeaderboard(year).then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'Chưa tải được bảng xếp hạng.'),
    );
    return () => {
      live = false;
    };
  }, [year, attempt]);

  return (
    <>
      <div className="field">
        <label htmlFor="leaderboard-year">Năm</label>
        <select id="leaderboard-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
          {choices.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </div>
      {error && <ErrorNote message={error} onRetry={() => setAttempt((a) => a + 1)} />}
      {!data && !error && <p role="status">Đang tải bảng xếp hạng…</p>}
      {data && (
        <>
          <section aria-labelledby="team-ranking-heading">
            <h2 id="team-ranking-heading">Tổ công nghệ số tiêu biểu năm {data.year}</h2>
            <p className="hint">
              Điểm = 3 điểm cho mỗi người được giới thiệu đã đạt kỹ năng số cơ bản, 1 điểm cho mỗi người được giới thiệu, 1 điểm cho mỗi buổi hỗ trợ
              trong năm.
            </p>
            {data.teams.length === 0 && <p>Chưa có tổ nào.</p>}
            <ol className="card-list ranking">
              {data.teams.map((t, i) => (
                <li key={t.teamId} className="figure-card team-rank">
                  <h3>
                    Hạng {i + 1}: {t.team}
                  </h3>
                  <p className="card-meta">{t.ward}</p>
                  <p className="score">
                    <strong data-key="score">{formatCount(t.score)}</strong> điểm = 3 × {formatCount(t.menteesBasic)} + {formatCount(t.mentees)} +{' '}
                    {formatCount(t.helpSessions)}
                  </p>
                  <dl className="figures">
                    <div>
                      <dt>Người được giới thiệu đạt kỹ năng số cơ bản</dt>
                      <dd data-key="menteesBasic">{formatCount(t.menteesBasic)}</dd>
                    </div>
                    <div>
                      <dt>Người được giới thiệu</dt>
                      <dd data-key="mentees">{formatCount(t.mentees)}</dd>
                    </div>
                    <div>
                      <dt>Buổi hỗ trợ trong năm</dt>
                      <dd data-key="helpSessions">{formatCount(t.helpSessions)}</dd>
                    </div>
                    <div>
                      <dt>Thành viên</dt>
                      <dd data-key="members">{formatCount(t.members)}</dd>
                    </div>
                    <div>
                      <dt>Đại sứ số đạt 1:5</dt>
                      <dd data-key="mentorsAtTarget">{formatCount(t.mentorsAtTarget)}</dd>
                    </div>
                  </dl>
                </li>
              ))}
            </ol>
          </section>

          <section aria-labelledby="household-ranking-heading">
            <h2 id="household-ranking-heading">Gia đình số tiêu biểu</h2>
            {data.households.top.length === 0 && <p>Chưa có gia đình nào có người đạt kỹ năng số cơ bản.</p>}
            <ol className="card-list household-ranking">
              {data.households.top.map((h, i) => (
                <li key={i} className="figure-card">
                  <h3>
                    Hạng {i + 1}: {h.household}
                  </h3>
                  <p className="card-meta">{h.ward}</p>
                  <p>
                    {formatCount(h.membersBasic)} trên {formatCount(h.members)} người đạt kỹ năng số cơ bản
                  </p>
                </li>
              ))}
            </ol>
          </section>

          <section aria-labelledby="households-by-ward-heading">
            <h2 id="households-by-ward-heading">Gia đình số theo phường, xã</h2>
            <ul className="card-list households-by-ward">
              {data.households.byWard.map((w) => (
                <li key={w.ward} className="figure-card">
                  <h3>{w.ward}</h3>
                  <p>
                    <strong data-key="covered">{formatCount(w.covered)}</strong> trên <span data-key="households">{formatCount(w.households)}</span> nhóm gia
                    đình đạt Gia đình số
                  </p>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}

      <section aria-labelledby="leaderboard-csv-heading">
        <h2 id="leaderboard-csv-heading">Tải bảng xếp hạng</h2>
        <CsvDownload fetchFile={() => fetchLeaderboardCsv(year)} button="Tải bảng xếp hạng CSV" tableLabel={`Bảng xếp hạng năm ${year}`} />
      </section>
    </>
  );
}
