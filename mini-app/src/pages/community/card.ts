import { fetchReferralQr, groupCode } from '../../services/community-api';

/**
 * The member's printable referral card: A6 (105 × 148 mm) at 300 dpi, drawn on a canvas on the phone from the
 * server's QR code of their link, so that it can be saved as a picture and printed at any photo shop.
 */
export const CARD_WIDTH = 1240;
export const CARD_HEIGHT = 1748;
export const CARD_HEADLINE = 'Quét mã để hỏi trợ lý Bình dân học vụ số';

const MARGIN = 80;
const INK = '#111827';
const BLUE = '#1e3a8a';
const FONT = '"Noto Sans", "Segoe UI", Roboto, Arial, sans-serif';

export interface CardContent {
  team: string;
  ward: string;
  code: string;
  link: string;
}

/** The QR code of the member's link as an image: fetched with the session (a plain <img> cannot send it). */
export async function loadQrImage(): Promise<HTMLImageElement> {
  const file = await fetchReferralQr();
  const url = URL.createObjectURL(new Blob([file.bytes], { type: 'image/png' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('QR image did not load'));
      img.src = url;
    });
    return img;
  } finally {
    // Drawn from the decoded image; the Blob is not needed once it has loaded.
    URL.revokeObjectURL(url);
  }
}

/** Words of `text` in lines no wider than `width` at the context's current font; a word too long for a line is cut. */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (ctx.measureText(candidate).width <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    // A link has no spaces: cut it where it stops fitting.
    while (ctx.measureText(line).width > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && ctx.measureText(line.slice(0, cut)).width > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines;
}

interface Block {
  font: string;
  color: string;
  lines: string[];
  lineHeight: number;
  gapAfter: number;
}

/** Draws the whole card; the QR code takes the room the text leaves, its squares kept sharp and equal. */
export function drawCard(canvas: HTMLCanvasElement, qr: HTMLImageElement, card: CardContent): void {
  canvas.width = CARD_WIDTH;
  canvas.height = CARD_HEIGHT;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const inner = CARD_WIDTH - 2 * MARGIN;

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
  ctx.strokeStyle = BLUE;
  ctx.lineWidth = 12;
  ctx.strokeRect(30, 30, CARD_WIDTH - 60, CARD_HEIGHT - 60);

  // The band at the top.
  ctx.fillStyle = BLUE;
  ctx.fillRect(30, 30, CARD_WIDTH - 60, 170);
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `bold 60px ${FONT}`;
  ctx.fillText('BÌNH DÂN HỌC VỤ SỐ', CARD_WIDTH / 2, 115);

  const block = (font: string, color: string, text: string, lineHeight: number, gapAfter: number): Block => {
    ctx.font = font;
    return { font, color, lines: wrap(ctx, text, inner), lineHeight, gapAfter };
  };
  const headline = block(`bold 84px ${FONT}`, INK, CARD_HEADLINE, 100, 20);
  const below = [
    block(`bold 60px ${FONT}`, BLUE, card.team, 72, 6),
    block(`48px ${FONT}`, INK, card.ward, 60, 24),
    block(`44px ${FONT}`, INK, 'Mã giới thiệu', 54, 0),
    block(`bold 118px "Courier New", "DejaVu Sans Mono", monospace`, INK, groupCode(card.code), 132, 18),
    block(`30px ${FONT}`, '#374151', card.link, 38, 0),
  ];
  const height = (blocks: Block[]) => blocks.reduce((h, b) => h + b.lines.length * b.lineHeight + b.gapAfter, 0);

  const top = 230;
  const bottom = CARD_HEIGHT - 70;
  const room = bottom - top - height([headline]) - height(below) - 40;
  const maxSide = Math.max(200, Math.min(inner, room));
  // The server draws 10 pixels per square: a side that is a whole number of squares keeps every square the same size.
  const squares = qr.width > 0 && qr.width % 10 === 0 ? qr.width / 10 : 1;
  const side = Math.floor(maxSide / squares) * squares;

  let y = top;
  const draw = (b: Block) => {
    ctx.font = b.font;
    ctx.fillStyle = b.color;
    ctx.textBaseline = 'top';
    for (const line of b.lines) {
      ctx.fillText(line, CARD_WIDTH / 2, y);
      y += b.lineHeight;
    }
    y += b.gapAfter;
  };
  draw(headline);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(qr, (CARD_WIDTH - side) / 2, y, side, side);
  y += side + 20;
  // What is left is shared out evenly above the text, so the card does not end in an empty band.
  y += Math.max(0, bottom - y - height(below)) / 2;
  for (const b of below) draw(b);
}

/** The card as a PNG file. */
export function cardBlob(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
