// The status page's search box and pager around the token table: plain GET links and a GET form (no script), so
// that the page's size stays the same whatever the registry's. Every value is escaped.
import { escapeHtml } from '../domain/message/escape';
import type { PagingView } from './status-view';

export const PAGER_CSS = `
form.search { display: flex; gap: 8px; margin: 0 0 10px; }
form.search input { flex: 0 1 320px; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
form.search button { padding: 5px 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; font: inherit; cursor: pointer; }
nav.pager { display: flex; gap: 16px; align-items: baseline; margin: 10px 0 0; color: var(--muted); flex-wrap: wrap; }
nav.pager a { color: #0969da; }
`;

const number = (n: number): string => n.toLocaleString('en-US');

/** `?page=3&q=acme`: relative, so it works behind a proxy that serves the page under a sub-path. */
export function pageHref(page: number, search: string | null): string {
  const params = new URLSearchParams();
  if (page > 1) params.set('page', String(page));
  if (search !== null) params.set('q', search);
  const query = params.toString();
  return query === '' ? '?' : `?${query}`;
}

export function renderSearchForm(paging: PagingView): string {
  const value = paging.search === null ? '' : ` value="${escapeHtml(paging.search)}"`;
  return `<form class="search" method="get" role="search">
<input type="search" name="q"${value} placeholder="Token name contains…" aria-label="Search token names" maxlength="100">
<button type="submit">Search</button>${paging.search === null ? '' : ` <a href="?">Show all</a>`}
</form>`;
}

export function renderPager(paging: PagingView): string {
  const what = paging.search === null ? 'tokens' : `tokens whose name contains “${escapeHtml(paging.search)}”`;
  const shown =
    paging.matching === 0
      ? paging.search === null
        ? ''
        : `No ${what}.`
      : `Showing ${number(paging.first)}–${number(paging.last)} of ${number(paging.matching)} ${what}, the most urgent first.`;
  const links: string[] = [];
  if (paging.page > 1) {
    links.push(`<a href="${escapeHtml(pageHref(1, paging.search))}">First</a>`);
    links.push(`<a rel="prev" href="${escapeHtml(pageHref(paging.page - 1, paging.search))}">Previous</a>`);
  }
  if (paging.pageCount > 1) links.push(`<span>Page ${number(paging.page)} of ${number(paging.pageCount)}</span>`);
  if (paging.page < paging.pageCount) {
    links.push(`<a rel="next" href="${escapeHtml(pageHref(paging.page + 1, paging.search))}">Next</a>`);
    links.push(`<a href="${escapeHtml(pageHref(paging.pageCount, paging.search))}">Last</a>`);
  }
  if (shown === '' && links.length === 0) return '';
  return `<nav class="pager" aria-label="Token pages"><span class="shown">${shown}</span>${links.join('\n')}</nav>`;
}
