import { accountStore, isPlacementOffered, skipPlacement } from '../stores/account';
import { useStore } from '../stores/store';
import { useGo } from './use-go';

/**
 * The optional placement check, offered until it is answered or put aside. "Bỏ qua" tells the server, so that it
 * is not offered again on this or another phone.
 */
export function PlacementOffer() {
  const navigate = useGo();
  const account = useStore(accountStore);
  if (!isPlacementOffered(account)) return null;
  return (
    <section className="offer" aria-labelledby="placement-offer-title">
      <h2 id="placement-offer-title">Chọn bài hợp với bác</h2>
      <p>Trả lời vài câu để chọn bài hợp với bác. Chỉ mất một phút, bác có thể bỏ qua.</p>
      <div className="nav-row">
        <button type="button" className="btn btn-primary" onClick={() => navigate('/placement')}>
          Trả lời vài câu
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => void skipPlacement()}>
          Bỏ qua
        </button>
      </div>
    </section>
  );
}
