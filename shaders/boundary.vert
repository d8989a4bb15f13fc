// One triangle that covers the whole image, built from gl_VertexID alone, so the
// boundary pass needs no vertex buffer (only an empty VAO, as the core profile wants).
// v_uv runs over [0, 1]^2 across the image: (0, 0) is the plot's (lo, lo) corner.

out vec2 v_uv;

void main()
{
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));  // (0,0) (2,0) (0,2)
    v_uv = corner;
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
