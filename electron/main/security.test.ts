import { describe, expect, it } from 'vitest';
import {
  buildCsp,
  httpOrigin,
  isLocalPage,
  navigationAllowed,
  type OriginPolicy,
  permissionAllowed,
  requestAllowed,
  urlAllowedFor,
  withCsp,
} from './security';

const policy: OriginPolicy = {
  serverOrigin: 'http://10.0.0.5:8080',
  localPagesUrl: 'file:///opt/GridWall/resources/app.asar/out/pages/',
};

describe('navigation policy', () => {
  it('lets wall and console pages move within the configured server only', () => {
    expect(navigationAllowed('wall', 'http://10.0.0.5:8080/login?next=/wall', policy)).toBe(true);
    expect(navigationAllowed('console', 'http://10.0.0.5:8080/console', policy)).toBe(true);
    expect(navigationAllowed('wall', 'https://10.0.0.5:8080/wall', policy)).toBe(false);
    expect(navigationAllowed('wall', 'http://10.0.0.5:8081/wall', policy)).toBe(false);
    expect(navigationAllowed('wall', 'http://10.0.0.5.evil.example:8080/', policy)).toBe(false);
    expect(navigationAllowed('wall', 'file:///etc/passwd', policy)).toBe(false);
    expect(navigationAllowed('wall', 'javascript:alert(1)', policy)).toBe(false);
    expect(navigationAllowed('wall', 'not a url', policy)).toBe(false);
  });

  it('never lets local pages navigate', () => {
    expect(navigationAllowed('settings', 'http://10.0.0.5:8080/wall', policy)).toBe(false);
    expect(navigationAllowed('connecting', `${policy.localPagesUrl}settings.html`, policy)).toBe(false);
  });

  it('recognises local pages only inside the pages folder', () => {
    expect(isLocalPage(`${policy.localPagesUrl}settings.html`, policy)).toBe(true);
    expect(isLocalPage(`${policy.localPagesUrl}../../../../etc/passwd`, policy)).toBe(false);
    expect(isLocalPage('file:///opt/GridWall/other.html', policy)).toBe(false);
    expect(urlAllowedFor('settings', 'http://10.0.0.5:8080/wall', policy)).toBe(false);
    expect(urlAllowedFor('wall', `${policy.localPagesUrl}connecting.html`, policy)).toBe(false);
  });

  it('reads only http(s) origins', () => {
    expect(httpOrigin('http://a:1/x?y')).toBe('http://a:1');
    expect(httpOrigin('data:text/html,hi')).toBeNull();
  });
});

describe('permission policy', () => {
  it('refuses everything but what each window needs, from its own page', () => {
    expect(permissionAllowed('wall', 'fullscreen', 'http://10.0.0.5:8080/wall', policy)).toBe(true);
    expect(permissionAllowed('console', 'clipboard-sanitized-write', 'http://10.0.0.5:8080/console', policy)).toBe(
      true,
    );
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'serial']) {
      expect(permissionAllowed('wall', p, 'http://10.0.0.5:8080/wall', policy)).toBe(false);
    }
    expect(permissionAllowed('wall', 'fullscreen', 'https://evil.example/', policy)).toBe(false);
    expect(permissionAllowed('settings', 'fullscreen', `${policy.localPagesUrl}settings.html`, policy)).toBe(false);
    expect(permissionAllowed(undefined, 'fullscreen', 'http://10.0.0.5:8080/wall', policy)).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  it('allows scripts only from the server and data from the server and the operator tile servers', () => {
    const csp = buildCsp('http://10.0.0.5:8080', ['https://tiles.local:8443/{z}/{x}/{y}.png', 'ftp://nope']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(csp).toContain("connect-src 'self' http://10.0.0.5:8080 ws://10.0.0.5:8080 https://tiles.local:8443;");
    expect(csp).toContain("media-src 'self' blob: http://10.0.0.5:8080 https://tiles.local:8443;");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('ftp');
  });

  it('uses wss for an https server', () => {
    expect(buildCsp('https://gw.example')).toContain('wss://gw.example');
  });

  it('adds the policy to server documents, keeping the server own policy', () => {
    const headers = withCsp(
      'http://10.0.0.5:8080/wall',
      'mainFrame',
      { 'content-type': ['text/html'], 'content-security-policy': ["default-src 'self'"] },
      'X',
      policy,
    );
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'", 'X'] });
  });

  it('leaves other responses alone', () => {
    const headers = { a: ['b'] };
    expect(withCsp('http://10.0.0.5:8080/app.js', 'script', headers, 'X', policy)).toBe(headers);
    expect(withCsp('https://tiles.local/1/2/3.png', 'mainFrame', headers, 'X', policy)).toBe(headers);
  });
});

describe('request policy', () => {
  it('lets requests reach only the server, the tile servers and our own pages', () => {
    const extra = ['https://tiles.local:8443'];
    expect(requestAllowed('http://10.0.0.5:8080/api/cases', policy, extra)).toBe(true);
    expect(requestAllowed('ws://10.0.0.5:8080/socket.io/?EIO=4', policy, extra)).toBe(true);
    expect(requestAllowed('https://tiles.local:8443/3/4/5.png', policy, extra)).toBe(true);
    expect(requestAllowed(`${policy.localPagesUrl}settings.js`, policy, extra)).toBe(true);
    expect(requestAllowed('blob:http://10.0.0.5:8080/1234', policy, extra)).toBe(true);
    expect(requestAllowed('https://cdn.jsdelivr.net/npm/x.js', policy, extra)).toBe(false);
    expect(requestAllowed('wss://evil.example/', policy, extra)).toBe(false);
    expect(requestAllowed('file:///etc/passwd', policy, extra)).toBe(false);
    expect(requestAllowed('chrome://gpu', policy, extra)).toBe(false);
  });
});
