import { useGo } from './use-go';

/** Only for members of a Tổ công nghệ số cộng đồng (their role comes from the server): their own page. */
export function MemberEntry() {
  const navigate = useGo();
  return (
    <section className="setting officer-entry" aria-labelledby="member-entry-heading">
      <h2 id="member-entry-heading">Dành cho Tổ công nghệ số cộng đồng</h2>
      <p>Mã giới thiệu, thẻ in mã QR và những người bác đang giúp.</p>
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={() => navigate('/community')}>
          Mở trang Đại sứ số
        </button>
      </div>
    </section>
  );
}

/** Gia đình số: the way in to the household screen. */
export function HouseholdEntry() {
  const navigate = useGo();
  return (
    <section className="setting" aria-labelledby="household-entry-heading">
      <h2 id="household-entry-heading">Gia đình số</h2>
      <p>Cả nhà cùng học: lập nhóm gia đình hoặc vào nhóm bằng mã người nhà gửi.</p>
      <div className="nav-row">
        <button type="button" className="btn btn-secondary" onClick={() => navigate('/household')}>
          Mở Gia đình số
        </button>
      </div>
    </section>
  );
}
