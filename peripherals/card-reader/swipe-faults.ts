/**
 * What a stripe head decodes from a card, with the damage the demo panel can ask for: a worn stripe
 * both tracks of which fail ('bad_read'), or a card pulled out half way, which leaves half of
 * track 2 and no track 1 ('partial_track'). Unreadable tracks come out empty, as a head reports them.
 */
export type SwipeFault = 'none' | 'bad_read' | 'partial_track';

export function tracksAsRead(tracks: { readonly track1: string; readonly track2: string }, fault: SwipeFault): { track1: string; track2: string } {
  if (fault === 'bad_read') return { track1: '', track2: '' };
  if (fault === 'partial_track') return { track1: '', track2: tracks.track2.slice(0, Math.ceil(tracks.track2.length / 2)) };
  return { track1: tracks.track1, track2: tracks.track2 };
}
