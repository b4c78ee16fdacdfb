import { useState } from 'react';
import { fetchReport } from '../../services/officer-api';
import { quarterLabel, recentQuarters } from '../../services/vn-time';
import { CsvDownload } from './csv-download';

/** "Tải báo cáo CSV" for a quarter (see CsvDownload for how the file reaches the officer, inside Zalo too). */
export function ReportDownload({ ward }: { ward?: string }) {
  const quarters = recentQuarters(6);
  const [quarter, setQuarter] = useState(quarters[0]!);
  return (
    <>
      <label htmlFor="report-quarter">Quý</label>
      <select id="report-quarter" value={quarter} onChange={(e) => setQuarter(e.target.value)}>
        {quarters.map((q) => (
          <option key={q} value={q}>
            {quarterLabel(q)}
          </option>
        ))}
      </select>
      <CsvDownload fetchFile={() => fetchReport(quarter, ward)} button="Tải báo cáo CSV" tableLabel={`Báo cáo ${quarterLabel(quarter)}`} />
    </>
  );
}
