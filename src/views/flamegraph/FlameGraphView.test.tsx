import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { FlameGraphView, FlameGraphViewMode } from './FlameGraphView';
import { treeFromFolded } from './testTree';

// jsdom has no 2D canvas: give it the few methods the renderer calls (clearRect counts frames).
let framesDrawn = 0;
function mockCanvas() {
  const ctx = {
    setTransform() {},
    clearRect() {
      framesDrawn++;
    },
    beginPath() {},
    rect() {},
    fill() {},
    fillText() {},
    strokeRect() {},
    setLineDash() {},
    measureText: (t: string) => ({ width: t.length * 7 }),
  };
  HTMLCanvasElement.prototype.getContext = (() => ctx) as unknown as HTMLCanvasElement['getContext'];
}

/** jsdom's Blob has no text()/arrayBuffer(): read it the old way. */
function readBlob(b: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(new Uint8Array(r.result as ArrayBuffer));
    r.onerror = () => reject(r.error);
    r.readAsArrayBuffer(b);
  });
}

const tree = treeFromFolded([
  'main.main;encoding/json.Marshal 600000000',
  'main.main;crypto/sha256.Sum256 300000000',
  'main.main 100000000',
]);

function setup(
  view: FlameGraphViewMode = 'flamegraph',
  extra: Partial<React.ComponentProps<typeof FlameGraphView>> = {}
) {
  mockCanvas();
  const onViewChange = jest.fn();
  const utils = render(
    <FlameGraphView
      tree={tree}
      width={1000}
      height={400}
      view={view}
      onViewChange={onViewChange}
      orientation="icicle"
      colorScheme="package"
      {...extra}
    />
  );
  return { ...utils, onViewChange };
}

describe('FlameGraphView', () => {
  it('shows a tooltip with Grafana-formatted values for the frame under the pointer', () => {
    setup();
    const canvas = screen.getByTestId('flamegraph-canvas');
    // Row 2 (y 40-60) holds main.main's children: crypto/sha256.Sum256 spans x 0-300, encoding/json.Marshal 300-900.
    fireEvent.mouseMove(canvas, { clientX: 500, clientY: 50 });
    const tip = screen.getByTestId('flamegraph-tooltip');
    expect(tip).toHaveTextContent('encoding/json.Marshal');
    expect(tip).toHaveTextContent('600 ms');
    expect(tip).toHaveTextContent('60.0%');
    fireEvent.mouseLeave(canvas);
    expect(screen.queryByTestId('flamegraph-tooltip')).toBeNull();
  });

  it('focuses a frame on click, shows the path, and Esc resets', () => {
    const { container } = setup();
    const canvas = screen.getByTestId('flamegraph-canvas');
    fireEvent.click(canvas, { clientX: 100, clientY: 50 });
    const crumbs = screen.getByRole('navigation', { name: 'Focus path' });
    expect(crumbs).toHaveTextContent('crypto/sha256.Sum256');
    fireEvent.keyDown(container.firstChild as Element, { key: 'Escape' });
    expect(crumbs).not.toHaveTextContent('crypto/sha256.Sum256');
  });

  it('shows the focus path as buttons only below the root, and its root button resets the focus', () => {
    setup();
    const crumbs = screen.getByRole('navigation', { name: 'Focus path' });
    expect(within(crumbs).queryAllByRole('button')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('flamegraph-canvas'), { clientX: 100, clientY: 50 });
    const buttons = within(crumbs).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['total', 'main.main', 'crypto/sha256.Sum256']);
    fireEvent.click(buttons[0]);
    expect(within(crumbs).queryAllByRole('button')).toHaveLength(0);
  });

  it('draws a clicked focus once: the view taking it over does not draw again', () => {
    setup();
    const canvas = screen.getByTestId('flamegraph-canvas');
    const before = framesDrawn;
    fireEvent.click(canvas, { clientX: 100, clientY: 50 });
    expect(screen.getByRole('navigation', { name: 'Focus path' })).toHaveTextContent('crypto/sha256.Sum256');
    expect(framesDrawn - before).toBe(1);
  });

  it('focuses the search box on "/" and reports the matched share', () => {
    const { container } = setup();
    fireEvent.keyDown(container.firstChild as Element, { key: '/' });
    const input = screen.getByLabelText('Search functions');
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 'sha256' } });
    expect(screen.getByTestId('flamegraph-search-share')).toHaveTextContent('30.0% of total');
  });

  it('shows the graph alone without its toolbar: the canvas takes the height, and focus, menu and Esc still work', () => {
    const { container } = setup('flamegraph', { toolbar: false, onHideFunction: jest.fn() });
    expect(screen.queryByLabelText('Search functions')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Export' })).toBeNull();
    const canvas = screen.getByTestId('flamegraph-canvas') as HTMLCanvasElement;
    expect(canvas.height).toBe(400 - 28); // the crumbs row stays; the 40px toolbar is gone
    fireEvent.click(canvas, { clientX: 100, clientY: 50 });
    const crumbs = screen.getByRole('navigation', { name: 'Focus path' });
    expect(crumbs).toHaveTextContent('crypto/sha256.Sum256');
    fireEvent.keyDown(container.firstChild as Element, { key: 'Escape' });
    expect(crumbs).not.toHaveTextContent('crypto/sha256.Sum256');
    fireEvent.contextMenu(canvas, { clientX: 500, clientY: 50 });
    expect(screen.getByText('Hide this function')).toBeInTheDocument();
  });

  it('gives the toolbar its row when shown', () => {
    setup();
    expect((screen.getByTestId('flamegraph-canvas') as HTMLCanvasElement).height).toBe(400 - 40 - 28);
    expect(screen.getByRole('button', { name: 'Export' })).toBeInTheDocument();
  });

  it('raises context-menu callbacks and leaves the decision to the parent', () => {
    const onHideFunction = jest.fn();
    setup('flamegraph', { onHideFunction });
    fireEvent.contextMenu(screen.getByTestId('flamegraph-canvas'), { clientX: 500, clientY: 50 });
    fireEvent.click(screen.getByText('Hide this function'));
    expect(onHideFunction).toHaveBeenCalledWith(expect.any(Number), 'encoding/json.Marshal');
  });

  it('offers "Open in Explore" for http(s) links only, opened in a new tab', () => {
    const open = jest.spyOn(window, 'open').mockImplementation(() => null);
    const exploreLink = jest.fn((name: string) => `/explore?fn=${encodeURIComponent(name)}`);
    const { unmount } = setup('flamegraph', { exploreLink });
    fireEvent.contextMenu(screen.getByTestId('flamegraph-canvas'), { clientX: 500, clientY: 50 });
    fireEvent.click(screen.getByText('Open in Explore'));
    expect(exploreLink).toHaveBeenCalledWith('encoding/json.Marshal');
    expect(open).toHaveBeenCalledWith(
      `${window.location.origin}/explore?fn=encoding%2Fjson.Marshal`,
      '_blank',
      'noopener,noreferrer'
    );
    unmount();

    for (const bad of ['javascript:alert(1)', 'data:text/html,x', undefined]) {
      const r = setup('flamegraph', { exploreLink: () => bad });
      fireEvent.contextMenu(screen.getByTestId('flamegraph-canvas'), { clientX: 500, clientY: 50 });
      expect(screen.queryByText('Open in Explore')).toBeNull();
      r.unmount();
    }
    open.mockRestore();
  });

  it('exports the shown profile as pprof and folded stacks', async () => {
    const created: Blob[] = [];
    const names: string[] = [];
    URL.createObjectURL = jest.fn((b: Blob) => {
      created.push(b);
      return 'blob:x';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement
    ) {
      names.push(this.download);
    });
    setup('flamegraph', { exportName: 'checkout' });
    fireEvent.click(screen.getByTestId('flamegraph-canvas'), { clientX: 100, clientY: 50 }); // focus sha256
    fireEvent.click(screen.getByLabelText('Export'));
    fireEvent.click(screen.getByRole('menuitem', { name: /folded stacks/ }));
    fireEvent.click(screen.getByLabelText('Export'));
    fireEvent.click(screen.getByRole('menuitem', { name: /pprof/ }));
    expect(names).toEqual(['checkout.cpu.folded', 'checkout.cpu.pb.gz']);
    expect(new TextDecoder().decode(await readBlob(created[0]))).toBe('main.main;crypto/sha256.Sum256 300000000\n');
    const gz = await readBlob(created[1]);
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    click.mockRestore();
  });

  it('renders the top table, sortable, with row clicks', () => {
    setup('table');
    const table = screen.getByTestId('top-table');
    expect(table).toHaveTextContent('encoding/json.Marshal');
    const rows = () =>
      Array.from(table.querySelectorAll('[role="row"]'))
        .slice(1)
        .map((r) => r.firstChild!.textContent);
    expect(rows()).toEqual(['encoding/json.Marshal', 'crypto/sha256.Sum256', 'main.main']);
    fireEvent.click(screen.getByRole('columnheader', { name: /Function/ }));
    expect(rows()).toEqual(['crypto/sha256.Sum256', 'encoding/json.Marshal', 'main.main']);
  });

  it('switches views through the callback', () => {
    const { onViewChange } = setup();
    fireEvent.click(screen.getByLabelText('Table'));
    expect(onViewChange).toHaveBeenCalledWith('table');
  });

  it('shows the diff legend for a diff tree', () => {
    mockCanvas();
    render(
      <FlameGraphView
        tree={treeFromFolded(['a 50 80', 'b 50 20'])}
        width={800}
        height={300}
        view="both"
        onViewChange={() => {}}
        orientation="flame"
        colorScheme="diff"
      />
    );
    expect(screen.getByTestId('flamegraph-diff-legend')).toBeInTheDocument();
    expect(screen.getByTestId('top-table')).toHaveTextContent('Comparison');
  });
});
