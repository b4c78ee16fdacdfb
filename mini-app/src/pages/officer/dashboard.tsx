import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/error-note';
import { ApiError } from '../../services/api';
import { fetchDashboard } from '../../services/officer-api';
import type { DashboardData } from '../../services/officer-types';
import { vnDateTime } from '../../services/vn-time';
import { formatCount, formatPercent, ShareChart, TrendChart } from './charts';
import { OfficerScreen } from './officer-screen';
import { ReportDownload } from './report-download';
import { useScope } from './use-scope';

/** The figures officers report on: basic digital skills per ward against the plans' targets, the trend, the questions. */
export function DashboardPage() {
  return (
    <OfficerScreen title="Số liệu và báo cáo">
      <Dashboard />
    </OfficerScreen>
  );
}

/** "2026-03-02" → "02/03/2026". */
const weekDate = (week: string) => `${week.slice(8, 10)}/${week.slice(5, 7)}/${week.slice(0, 4)}`;

function Dashboard() {
  const { scope, error: scopeError, retry: retryScope } = useScope();
  const [ward, setWard] = useState('');
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError('');
    fetchDashboard(ward || undefined).then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'Chưa tải được số liệu.'),
    );
    return () => {
      live = false;
    };
  }, [ward, attempt]);

  const missing = data?.wards.reduce((m, w) => ({ 2025: m[2025] + w.missing[2025], 2026: m[2026] + w.missing[2026] }), { 2025: 0, 2026: 0 });

  return (
    <>
      {scopeError && <ErrorNote message={scopeError} onRetry={retryScope} />}
      {scope && scope.wards.length > 1 && (
        <div className="field">
          <label htmlFor="dashboard-ward">Phường, xã</label>
          <select id="dashboard-ward" value={ward} onChange={(e) => setWard(e.target.value)}>
            <option value="">Tất cả ({scope.wards.length} phường, xã)</option>
            {scope.wards.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </div>
      )}
      {error && <ErrorNote message={error} onRetry={() => setAttempt((a) => a + 1)} />}
      {!data && !error && <p role="status">Đang tải số liệu…</p>}
      {data && missing && (
        <>
          <section aria-labelledby="totals-heading">
            <h2 id="totals-heading">Tổng quan</h2>
            <dl className="figures">
              <div>
                <dt>Người trưởng thành</dt>
                <dd>{formatCount(data.totals.adults)}</dd>
              </div>
              <div>
                <dt>Người đã học với trợ lý</dt>
                <dd>{formatCount(data.totals.learners)}</dd>
              </div>
              <div>
                <dt>Lượt học xong bài</dt>
                <dd>{formatCount(data.totals.lessonsCompleted)}</dd>
              </div>
              <div>
                <dt>Đạt kỹ năng số cơ bản</dt>
                <dd>
                  {formatCount(data.totals.basic)} người ({formatPercent(data.totals.share)})
                </dd>
              </div>
              <div>
                <dt>Còn thiếu để đạt chỉ tiêu 2025 ({formatPercent(data.targets[2025])})</dt>
                <dd>{formatCount(missing[2025])} người</dd>
              </div>
              <div>
                <dt>Còn thiếu để đạt chỉ tiêu 2026 ({formatPercent(data.targets[2026])})</dt>
                <dd>{formatCount(missing[2026])} người</dd>
              </div>
            </dl>
            <p className="hint">Số liệu lúc {vnDateTime(data.generatedAt)}.</p>
            <details className="data-details">
              <summary>Thế nào là đạt kỹ năng số cơ bản?</summary>
              <p>Học vững ít nhất một bài trong mỗi nhóm:</p>
              <ul>
                {data.basicLevel.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            </details>
          </section>

          <section aria-labelledby="wards-heading">
            <h2 id="wards-heading">Tỷ lệ đạt kỹ năng số cơ bản theo phường, xã</h2>
            <p className="hint">Vạch đứt: chỉ tiêu 2025. Vạch liền: chỉ tiêu 2026.</p>
            <ShareChart wards={data.wards} targets={data.targets} />
            <ul className="card-list ward-figures">
              {data.wards.map((w) => (
                <li key={w.ward} className="figure-card">
                  <h3>{w.ward}</h3>
                  <p>
                    <strong>{formatPercent(w.share)}</strong> đạt mức cơ bản ({formatCount(w.basic)} trên {formatCount(w.adults)} người trưởng thành;{' '}
                    {formatCount(w.learners)} người đã học).
                  </p>
                  <p>
                    Còn thiếu {formatCount(w.missing[2025])} người để đạt chỉ tiêu 2025, {formatCount(w.missing[2026])} người để đạt chỉ tiêu 2026.
                  </p>
                </li>
              ))}
            </ul>
          </section>

          <section aria-labelledby="trend-heading">
            <h2 id="trend-heading">12 tuần gần đây</h2>
            <ul className="legend">
              <li>
                <span className="legend-swatch legend-learners" aria-hidden="true" /> Người học (đường đứt, chấm tròn)
              </li>
              <li>
                <span className="legend-swatch legend-basic" aria-hidden="true" /> Đạt mức cơ bản (đường liền, chấm vuông)
              </li>
            </ul>
            <TrendChart trend={data.trend} />
            <details className="data-details">
              <summary>Số liệu từng tuần</summary>
              <ul>
                {data.trend.map((p) => (
                  <li key={p.week}>
                    Tuần từ {weekDate(p.week)}: {formatCount(p.learners)} người học, {formatCount(p.basic)} đạt mức cơ bản
                  </li>
                ))}
              </ul>
            </details>
          </section>

          <section aria-labelledby="questions-heading">
            <h2 id="questions-heading">Câu hỏi nhiều nhất tuần này</h2>
            {data.topQuestions.length === 0 ? (
              <p>Tuần này chưa có câu hỏi nào.</p>
            ) : (
              <ol className="top-questions">
                {data.topQuestions.map((q, i) => (
                  <li key={i}>
                    {q.question} <span className="card-meta">({formatCount(q.asked)} lượt)</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}

      <section aria-labelledby="report-heading">
        <h2 id="report-heading">Báo cáo quý</h2>
        <ReportDownload ward={ward || undefined} />
      </section>
    </>
  );
}
