/** A choice among the wards in the officer's scope, none chosen at first. */
export function WardSelect({ id, wards, value, onChange }: { id: string; wards: string[] | undefined; value: string; onChange: (ward: string) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Chưa chọn</option>
      {wards?.map((w) => (
        <option key={w} value={w}>
          {w}
        </option>
      ))}
    </select>
  );
}
